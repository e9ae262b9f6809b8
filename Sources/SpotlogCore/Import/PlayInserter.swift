import GRDB

/// Inserts plays for one user, skipping any already stored (same identity), and reports every
/// play it stores to the rollups. Plays whose new id is not needed are queued and written many
/// rows per statement, which is several times faster in SQLite than one statement per row.
///
/// The many-row statement is `INSERT OR IGNORE`, not `ON CONFLICT DO NOTHING`: a statement that
/// writes several rows and may abort (a NOT NULL or CHECK failure would) makes SQLite copy every
/// page it touches to a statement journal first, in case it must undo itself. That copying was
/// two thirds of the import's write calls and about a tenth of its time (measured with strace
/// and perf). `OR IGNORE` cannot abort; the rows it would drop for such a failure cannot occur,
/// as the normaliser skips negative `ms_played` and every other value is bound from a non-null
/// Swift value or spelt out.
final class PlayInserter {
    static let rowsPerStatement = 64
    private static let columns = """
        user_id, kind, item_id, played_at, ms_played, source, variant, context_id, flags, offline_timestamp
        """
    /// Columns bound per bulk row: the user, the source and the variant (0) are the same for all
    /// of them, so the statement spells them out (three fewer binds per play).
    private static let bulkColumnCount: Int32 = 7

    private let userID: Int64
    private let rollups: RollupAccumulator
    private let single: RawStatement
    /// Bulk statements by source, prepared when first needed (a file has one source).
    private var bulk: [PlaySource: RawStatement] = [:]
    private let db: Database
    private let selectNewest: RawStatement
    private var queue: [(record: PlayRecord, ids: PlayIDs)] = []

    init(_ db: Database, userID: Int64, rollups: RollupAccumulator) throws {
        self.userID = userID
        self.rollups = rollups
        single = try RawStatement(db, """
            INSERT INTO plays (\(Self.columns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT DO NOTHING
            """)
        self.db = db
        selectNewest = try RawStatement(db, "SELECT kind, item_id, played_at, ms_played FROM plays WHERE id > ?1 ORDER BY id")
        queue.reserveCapacity(Self.rowsPerStatement)
    }

    /// Inserts one play now: its id, or `nil` when the same play is already stored.
    func insert(_ record: PlayRecord, ids: PlayIDs, variant: Int64) throws -> Int64? {
        bindSingle(record, ids: ids, variant: variant)
        try single.run()
        guard single.changes > 0 else { return nil }
        stored(record, itemID: ids.item)
        return single.lastInsertedRowID
    }

    private func stored(_ record: PlayRecord, itemID: Int64) {
        rollups.add(kind: record.kind, item: itemID, source: record.source, playedAt: record.endedAt, millis: record.msPlayed)
    }

    /// Queues a second-precision play; returns how many queued plays were new when the queue was
    /// written (the rest were already stored), or `nil` while it is still filling.
    func enqueue(_ record: PlayRecord, ids: PlayIDs) throws -> (written: Int, new: Int)? {
        queue.append((record, ids))
        return queue.count == Self.rowsPerStatement ? try flush() : nil
    }

    /// Forgets the queued plays (their transaction rolled back).
    func discardQueue() { queue.removeAll(keepingCapacity: true) }

    /// Writes the queued plays: how many were written and how many of those were new.
    func flush() throws -> (written: Int, new: Int) {
        let count = queue.count
        guard count > 0 else { return (0, 0) }
        defer { queue.removeAll(keepingCapacity: true) }
        if count == Self.rowsPerStatement {
            let bulk = try bulkStatement(for: queue[0].record.source)
            for (row, entry) in queue.enumerated() {
                let base = Int32(row) * Self.bulkColumnCount
                bulk.bind(base + 1, utf8: entry.record.kind.sqlText)
                bulk.bind(base + 2, entry.ids.item)
                bulk.bind(base + 3, entry.record.endedAt)
                bulk.bind(base + 4, entry.record.msPlayed)
                bulk.bind(base + 5, entry.ids.context)
                bulk.bind(base + 6, entry.record.flags.rawValue)
                bulk.bind(base + 7, entry.record.offlineTimestamp)
            }
            try bulk.run()
            let new = Int(bulk.changes)
            if new == count {
                for entry in queue { stored(entry.record, itemID: entry.ids.item) }
            } else if new > 0 {
                try reportNewest(new, after: bulk.lastInsertedRowID, like: queue[0].record)
            }
            return (count, new)
        }
        var new = 0
        for entry in queue {
            bindSingle(entry.record, ids: entry.ids, variant: 0)
            try single.run()
            if single.changes > 0 {
                new += 1
                stored(entry.record, itemID: entry.ids.item)
            }
        }
        return (count, new)
    }

    private func bulkStatement(for source: PlaySource) throws -> RawStatement {
        if let statement = bulk[source] { return statement }
        let row = "(\(userID), ?, ?, ?, ?, '\(source.rawValue)', 0, ?, ?, ?)"
        let values = Array(repeating: row, count: Self.rowsPerStatement).joined(separator: ", ")
        let statement = try RawStatement(db, "INSERT OR IGNORE INTO plays (\(Self.columns)) VALUES \(values)")
        bulk[source] = statement
        return statement
    }

    /// Reports the `count` rows a bulk insert added, when some of its rows were duplicates: SQLite
    /// gives new rows consecutive ids, so they are the last `count` ids. Queued plays share their
    /// source (one file has one format).
    private func reportNewest(_ count: Int, after lastID: Int64, like sample: PlayRecord) throws {
        selectNewest.bind(1, lastID - Int64(count))
        defer { selectNewest.reset() }
        while try selectNewest.step() {
            guard let kind = PlayKind(rawValue: selectNewest.text(column: 0)) else { continue }
            rollups.add(kind: kind, item: selectNewest.int64(column: 1), source: sample.source,
                        playedAt: selectNewest.int64(column: 2), millis: selectNewest.int64(column: 3))
        }
    }

    private func bindSingle(_ record: PlayRecord, ids: PlayIDs, variant: Int64) {
        single.bind(1, userID)
        single.bind(2, utf8: record.kind.sqlText)
        single.bind(3, ids.item)
        single.bind(4, record.endedAt)
        single.bind(5, record.msPlayed)
        single.bind(6, utf8: record.source.sqlText)
        single.bind(7, variant)
        single.bind(8, ids.context)
        single.bind(9, record.flags.rawValue)
        single.bind(10, record.offlineTimestamp)
    }
}

/// The catalogue and context rows a play refers to.
struct PlayIDs {
    var item: Int64
    var context: Int64?
}

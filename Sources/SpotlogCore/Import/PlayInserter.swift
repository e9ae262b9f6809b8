import GRDB

/// Inserts plays for one user, skipping any already stored (`ON CONFLICT DO NOTHING` on the
/// plays' identity), and reports every play it stores to the rollups. Plays whose new id is not
/// needed are queued and written many rows per statement, which is several times faster in
/// SQLite than one statement per row.
final class PlayInserter {
    static let rowsPerStatement = 64
    private static let columns = """
        user_id, kind, item_id, played_at, ms_played, source, variant, context_id, flags, offline_timestamp
        """
    private static let columnCount: Int32 = 10

    private let userID: Int64
    private let rollups: RollupAccumulator
    private let single: RawStatement
    private let bulk: RawStatement
    private let selectNewest: RawStatement
    private var queue: [(record: PlayRecord, ids: PlayIDs)] = []

    init(_ db: Database, userID: Int64, rollups: RollupAccumulator) throws {
        self.userID = userID
        self.rollups = rollups
        func statement(rows: Int) throws -> RawStatement {
            let row = "(" + (1...Int(Self.columnCount)).map { _ in "?" }.joined(separator: ", ") + ")"
            let values = Array(repeating: row, count: rows).joined(separator: ", ")
            return try RawStatement(db, "INSERT INTO plays (\(Self.columns)) VALUES \(values) ON CONFLICT DO NOTHING")
        }
        single = try statement(rows: 1)
        bulk = try statement(rows: Self.rowsPerStatement)
        selectNewest = try RawStatement(db, "SELECT kind, item_id, played_at, ms_played FROM plays WHERE id > ?1 ORDER BY id")
        queue.reserveCapacity(Self.rowsPerStatement)
    }

    /// Inserts one play now: its id, or `nil` when the same play is already stored.
    func insert(_ record: PlayRecord, ids: PlayIDs, variant: Int64) throws -> Int64? {
        bind(single, row: 0, record, ids: ids, variant: variant)
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
            for (row, entry) in queue.enumerated() {
                bind(bulk, row: Int32(row), entry.record, ids: entry.ids, variant: 0)
            }
            try bulk.run()
            let new = Int(bulk.changes)
            if new == count {
                for entry in queue { stored(entry.record, itemID: entry.ids.item) }
            } else if new > 0 {
                try reportNewest(new, like: queue[0].record)
            }
            return (count, new)
        }
        var new = 0
        for entry in queue {
            bind(single, row: 0, entry.record, ids: entry.ids, variant: 0)
            try single.run()
            if single.changes > 0 {
                new += 1
                stored(entry.record, itemID: entry.ids.item)
            }
        }
        return (count, new)
    }

    /// Reports the `count` rows a bulk insert added, when some of its rows were duplicates: SQLite
    /// gives new rows consecutive ids, so they are the last `count` ids. Queued plays share their
    /// source (one file has one format).
    private func reportNewest(_ count: Int, like sample: PlayRecord) throws {
        selectNewest.bind(1, bulk.lastInsertedRowID - Int64(count))
        defer { selectNewest.reset() }
        while try selectNewest.step() {
            guard let kind = PlayKind(rawValue: selectNewest.text(column: 0)) else { continue }
            rollups.add(kind: kind, item: selectNewest.int64(column: 1), source: sample.source,
                        playedAt: selectNewest.int64(column: 2), millis: selectNewest.int64(column: 3))
        }
    }

    @inline(__always)
    private func bind(_ statement: RawStatement, row: Int32, _ record: PlayRecord, ids: PlayIDs, variant: Int64) {
        let base = row * Self.columnCount
        statement.bind(base + 1, userID)
        statement.bind(base + 2, utf8: record.kind.sqlText)
        statement.bind(base + 3, ids.item)
        statement.bind(base + 4, record.endedAt)
        statement.bind(base + 5, record.msPlayed)
        statement.bind(base + 6, utf8: record.source.sqlText)
        statement.bind(base + 7, variant)
        statement.bind(base + 8, ids.context)
        statement.bind(base + 9, record.flags.rawValue)
        statement.bind(base + 10, record.offlineTimestamp)
    }
}

/// The catalogue and context rows a play refers to.
struct PlayIDs {
    var item: Int64
    var context: Int64?
}

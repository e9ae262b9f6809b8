import GRDB

/// Inserts plays for one user, skipping any already stored (same identity), and reports every
/// play it stores to the rollups. Second-precision plays are queued and written many rows per
/// statement, which is several times faster in SQLite than one statement per row.
///
/// A many-row insert only tells how many of its rows were new, not which, and the rollups must
/// count exactly the new ones. So no duplicate is let into the queue: a play is looked up among
/// the stored and queued plays when it ends within the span of those that could be its twin (the
/// plays stored when the transaction began, and those queued since). History files are in time
/// order, so nearly every play of a first import ends after all of them and is not looked up.
///
/// Two second-precision plays of one item ending in the same second are one play when they
/// lasted as long, and two plays otherwise: the second is stored under a variant derived from its
/// length (`distinctVariant`), so a re-import finds each again and adds nothing.
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
    private let selectSameSecond, selectSpan: RawStatement
    private var queue: [(record: PlayRecord, ids: PlayIDs)] = []
    /// The end times of this user's plays stored when the transaction began, and of the plays
    /// written or queued since: a play ending outside both has no twin.
    private var storedSpan, writtenSpan: ClosedRange<Int64>?

    init(_ db: Database, userID: Int64, rollups: RollupAccumulator) throws {
        self.userID = userID
        self.rollups = rollups
        single = try RawStatement(db, """
            INSERT INTO plays (\(Self.columns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT DO NOTHING
            """)
        self.db = db
        selectSameSecond = try RawStatement(db, """
            SELECT ms_played, source = 'extended', variant FROM plays
            WHERE user_id = ?1 AND played_at = ?2 AND kind = ?3 AND item_id = ?4
            """)
        selectSameSecond.bind(1, userID)
        // Two subqueries: SQLite reads a lone min() or max() straight from the key's ends, but
        // scans every row for both at once.
        selectSpan = try RawStatement(db, """
            SELECT (SELECT min(played_at) FROM plays WHERE user_id = ?1), (SELECT max(played_at) FROM plays WHERE user_id = ?1)
            """)
        selectSpan.bind(1, userID)
        queue.reserveCapacity(Self.rowsPerStatement)
        try beginTransaction()
    }

    /// Notes which plays are stored; call at the start of each transaction that writes plays
    /// (another connection may have written some since the last one).
    func beginTransaction() throws {
        defer { selectSpan.reset() }
        writtenSpan = nil
        storedSpan = nil
        guard try selectSpan.step(), !selectSpan.isNull(column: 0) else { return }
        storedSpan = selectSpan.int64(column: 0)...selectSpan.int64(column: 1)
    }

    /// Inserts one play now: whether it was new (else the same play is already stored).
    func insert(_ record: PlayRecord, ids: PlayIDs, variant: Int64) throws -> Bool {
        bindSingle(record, ids: ids, variant: variant)
        try single.run()
        guard single.changes > 0 else { return false }
        noteWritten(record.endedAt)
        stored(record, itemID: ids.item)
        return true
    }

    private func stored(_ record: PlayRecord, itemID: Int64) {
        rollups.add(kind: record.kind, item: itemID, source: record.source, playedAt: record.endedAt, millis: record.msPlayed,
                    skipped: record.flags.skipped)
    }

    private func noteWritten(_ endedAt: Int64) {
        writtenSpan = writtenSpan.map { min($0.lowerBound, endedAt)...max($0.upperBound, endedAt) } ?? endedAt...endedAt
    }

    /// Queues a second-precision play. Returns what was written: one duplicate when the play is
    /// already stored or queued; the queued plays, all new, when the queue was full; `nil` while
    /// it is still filling. A play sharing its second and item with another of a different length
    /// is written at once, under its own variant, after the queue.
    func enqueue(_ record: PlayRecord, ids: PlayIDs) throws -> (written: Int, new: Int)? {
        if storedSpan?.contains(record.endedAt) == true || writtenSpan?.contains(record.endedAt) == true {
            guard let variant = try variant(forSecondPrecision: record, itemID: ids.item) else { return (1, 0) }
            if variant != 0 {
                let written = try flush()
                let new = try insert(record, ids: ids, variant: variant) ? 1 : 0
                return (written.written + 1, written.new + new)
            }
        }
        noteWritten(record.endedAt)
        queue.append((record, ids))
        return queue.count == Self.rowsPerStatement ? try flush() : nil
    }

    /// The variant a second-precision play is stored under: `nil` when the same play (same
    /// length) is stored or queued; 0 when no play of its item is stored at that instant;
    /// `distinctVariant` when one is: another play of another length, or a play of another
    /// source (a Web API play at that very millisecond, which the twin rules then merge).
    func variant(forSecondPrecision record: PlayRecord, itemID: Int64) throws -> Int64? {
        let queued = queue.filter { entry in
            entry.record.endedAt == record.endedAt && entry.record.kind == record.kind && entry.ids.item == itemID
        }
        var lengths = queued.map(\.record.msPlayed), variantZeroTaken = !queued.isEmpty
        selectSameSecond.bind(2, record.endedAt)
        selectSameSecond.bind(3, utf8: record.kind.sqlText)
        selectSameSecond.bind(4, itemID)
        defer { selectSameSecond.reset() }
        while try selectSameSecond.step() {
            if selectSameSecond.int64(column: 1) == 1 { lengths.append(selectSameSecond.int64(column: 0)) }
            if selectSameSecond.int64(column: 2) == 0 { variantZeroTaken = true }
        }
        if lengths.contains(record.msPlayed) { return nil }
        return variantZeroTaken ? Self.distinctVariant(msPlayed: record.msPlayed) : 0
    }

    /// The variant of a second-precision play that shares its second and item with a play of
    /// another length: negative, so it never meets an account play's variant (its length, >= 0).
    static func distinctVariant(msPlayed: Int64) -> Int64 { -(msPlayed + 1) }

    /// Forgets the queued plays (their transaction rolled back).
    func discardQueue() { queue.removeAll(keepingCapacity: true) }

    /// Writes the queued plays, which are all new: how many were written and how many of those
    /// were new.
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
            guard bulk.changes == count else {
                throw SpotlogError.failure("\(count - Int(bulk.changes)) of \(count) plays were stored twice (a bug in spotlog)")
            }
            for entry in queue { stored(entry.record, itemID: entry.ids.item) }
            return (count, count)
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

import GRDB

/// Inserts plays for one user, skipping any already stored (`ON CONFLICT DO NOTHING` on the
/// plays' identity), and reports every play it stores to the rollups. Plays whose new id is not
/// needed are queued and written many rows per statement, which is several times faster in
/// SQLite than one statement per row.
final class PlayInserter {
    static let rowsPerStatement = 64
    private static let columns = """
        user_id, kind, item_id, played_at, ms_played, source, variant,
        platform, country, reason_start, reason_end, shuffle, skipped, offline, offline_timestamp, incognito
        """
    private static let columnCount: Int32 = 16

    private let userID: Int64
    private let rollups: RollupAccumulator
    private let single: RawStatement
    private let bulk: RawStatement
    private let selectNewest: RawStatement
    private var queue: [(record: PlayRecord, itemID: Int64)] = []

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
    func insert(_ record: PlayRecord, itemID: Int64, variant: Int64, batch: RecordBatch) throws -> Int64? {
        try batch.arena.withUnsafeBufferPointer { arena in
            bind(single, row: 0, record, itemID: itemID, variant: variant, arena: arena)
            try single.run()
        }
        guard single.changes > 0 else { return nil }
        stored(record, itemID: itemID)
        return single.lastInsertedRowID
    }

    private func stored(_ record: PlayRecord, itemID: Int64) {
        rollups.add(kind: record.kind, item: itemID, source: record.source, playedAt: record.endedAt, millis: record.msPlayed)
    }

    /// Queues a second-precision play; returns how many queued plays were new when the queue was
    /// written (the rest were already stored), or `nil` while it is still filling.
    func enqueue(_ record: PlayRecord, itemID: Int64, batch: RecordBatch) throws -> (written: Int, new: Int)? {
        queue.append((record, itemID))
        return queue.count == Self.rowsPerStatement ? try flush(batch) : nil
    }

    /// Writes the queued plays (their strings live in `batch`, which must be the batch they came
    /// from): how many were written and how many of those were new.
    func flush(_ batch: RecordBatch) throws -> (written: Int, new: Int) {
        let count = queue.count
        guard count > 0 else { return (0, 0) }
        defer { queue.removeAll(keepingCapacity: true) }
        return try batch.arena.withUnsafeBufferPointer { arena in
            if count == Self.rowsPerStatement {
                for (row, entry) in queue.enumerated() {
                    bind(bulk, row: Int32(row), entry.record, itemID: entry.itemID, variant: 0, arena: arena)
                }
                try bulk.run()
                let new = Int(bulk.changes)
                if new == count {
                    for entry in queue { stored(entry.record, itemID: entry.itemID) }
                } else if new > 0 {
                    try reportNewest(new, like: queue[0].record)
                }
                return (count, new)
            }
            var new = 0
            for entry in queue {
                bind(single, row: 0, entry.record, itemID: entry.itemID, variant: 0, arena: arena)
                try single.run()
                if single.changes > 0 {
                    new += 1
                    stored(entry.record, itemID: entry.itemID)
                }
            }
            return (count, new)
        }
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
    private func bind(_ statement: RawStatement, row: Int32, _ record: PlayRecord, itemID: Int64, variant: Int64,
                      arena: UnsafeBufferPointer<UInt8>) {
        let base = row * Self.columnCount
        func text(_ column: Int32, _ slice: ArenaSlice) {
            statement.bind(base + column, utf8: slice.isNull ? nil
                           : UnsafeBufferPointer(rebasing: arena[Int(slice.offset)..<Int(slice.offset + slice.count)]))
        }
        func flag(_ column: Int32, _ value: Int8) { statement.bind(base + column, value < 0 ? nil : Int64(value)) }
        statement.bind(base + 1, userID)
        statement.bind(base + 2, utf8: record.kind.sqlText)
        statement.bind(base + 3, itemID)
        statement.bind(base + 4, record.endedAt)
        statement.bind(base + 5, record.msPlayed)
        statement.bind(base + 6, utf8: record.source.sqlText)
        statement.bind(base + 7, variant)
        text(8, record.platform)
        text(9, record.country)
        text(10, record.reasonStart)
        text(11, record.reasonEnd)
        flag(12, record.shuffle)
        flag(13, record.skipped)
        flag(14, record.offline)
        statement.bind(base + 15, record.offlineTimestamp)
        flag(16, record.incognito)
    }
}

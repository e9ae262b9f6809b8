import GRDB

/// The statements that write an accumulator's changes to the rollup tables of one user; they
/// belong to the connection they were prepared on.
///
/// Month and day rows that are new are written many per `INSERT OR IGNORE`, rows that exist
/// one `UPDATE` each. A many-row statement that could fail half-way (an upsert can) makes
/// SQLite journal every page it touches first, in case it must undo itself; these cannot, so
/// it does not. Totals are upserted: which of them exist would mean reading them all.
final class RollupStatements {
    let upsertTotals: BatchedInsert
    let insertMonths, insertDays: BatchedInsert
    let selectMonths, updateMonth, selectDays, updateDay, deleteDay: RawStatement

    init(userID: Int64, db: Database) throws {
        upsertTotals = try BatchedInsert(
            db, head: "INSERT INTO play_totals (user_id, kind, item_id, plays, ms_played, first_played_at, last_played_at)",
            row: "(\(userID), ?, ?, ?, ?, ?, ?)", tail: """
                ON CONFLICT (user_id, kind, item_id) DO UPDATE SET
                  plays = plays + excluded.plays, ms_played = ms_played + excluded.ms_played,
                  first_played_at = min(first_played_at, excluded.first_played_at),
                  last_played_at = max(last_played_at, excluded.last_played_at)
                """, columns: 6)
        insertMonths = try BatchedInsert(
            db, head: "INSERT OR IGNORE INTO play_months (user_id, month, kind, item_id, plays, ms_played)",
            row: "(\(userID), ?, ?, ?, ?, ?)", tail: "", columns: 5)
        selectMonths = try RawStatement(db, """
            SELECT month, kind, item_id FROM play_months WHERE user_id = ?1 AND month BETWEEN ?2 AND ?3
            """)
        selectMonths.bind(1, userID)
        updateMonth = try RawStatement(db, """
            UPDATE play_months SET plays = plays + ?5, ms_played = ms_played + ?6
            WHERE user_id = ?1 AND month = ?2 AND kind = ?3 AND item_id = ?4
            """)
        updateMonth.bind(1, userID)
        selectDays = try RawStatement(db, """
            SELECT day, kind, source, plays, ms_played, counted_plays, counted_ms, quarters FROM play_days
            WHERE user_id = ?1 AND day BETWEEN ?2 AND ?3
            """)
        selectDays.bind(1, userID)
        insertDays = try BatchedInsert(
            db, head: """
                INSERT OR IGNORE INTO play_days (user_id, day, kind, source, plays, ms_played, counted_plays, counted_ms,
                                                 quarters)
                """,
            row: "(\(userID), ?, ?, ?, ?, ?, ?, ?, ?)", tail: "", columns: 8)
        updateDay = try RawStatement(db, """
            UPDATE play_days SET plays = ?5, ms_played = ?6, counted_plays = ?7, counted_ms = ?8, quarters = ?9
            WHERE user_id = ?1 AND day = ?2 AND kind = ?3 AND source = ?4
            """)
        updateDay.bind(1, userID)
        deleteDay = try RawStatement(db, "DELETE FROM play_days WHERE user_id = ?1 AND day = ?2 AND kind = ?3 AND source = ?4")
        deleteDay.bind(1, userID)
    }

    /// The stored month rows from month `low` through `high`, each as `key(month, kind, item)`.
    func storedMonths(from low: Int64, through high: Int64, key: (Int64, PlayKind, Int64) -> RollupKey) throws
        -> Set<RollupKey> {
        selectMonths.bind(2, low)
        selectMonths.bind(3, high)
        defer { selectMonths.reset() }
        var stored: Set<RollupKey> = []
        while try selectMonths.step() {
            guard let kind = PlayKind(rawValue: selectMonths.text(column: 1)) else { continue }
            stored.insert(key(selectMonths.int64(column: 0), kind, selectMonths.int64(column: 2)))
        }
        return stored
    }

    /// Adds plays and milliseconds to a month row, stored or new.
    func addToMonth(_ month: Int64, kind: PlayKind, item: Int64, plays: Int64, millis: Int64, stored: Bool) throws {
        guard stored else {
            return try insertMonths.add(.int(month), .text(kind.sqlText), .int(item), .int(plays), .int(millis))
        }
        updateMonth.bind(2, month)
        updateMonth.bind(3, utf8: kind.sqlText)
        updateMonth.bind(4, item)
        updateMonth.bind(5, plays)
        updateMonth.bind(6, millis)
        try updateMonth.run()
    }

    /// Writes a day row's new values, stored or new; the blob's bytes must stay alive until
    /// `insertDays.finish()`.
    func writeDay(_ day: Int64, kind: PlayKind, source: PlaySource, sums: [Int64], quarters: UnsafeRawBufferPointer,
                  stored: Bool) throws {
        guard stored else {
            return try insertDays.add(.int(day), .text(kind.sqlText), .text(source.sqlText), .int(sums[0]), .int(sums[1]),
                                      .int(sums[2]), .int(sums[3]), .blob(quarters))
        }
        updateDay.bind(2, day)
        updateDay.bind(3, utf8: kind.sqlText)
        updateDay.bind(4, utf8: source.sqlText)
        for (offset, sum) in sums.enumerated() { updateDay.bind(Int32(5 + offset), sum) }
        updateDay.bind(9, blob: quarters)
        try updateDay.run()
    }
}

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
    let insertMonths, insertDays, writeSpans: BatchedInsert
    let selectMonths, updateMonth, selectDays, updateDay: RawStatement
    private let deleteDays, deleteSpans, selectDayPlays: RawStatement

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
            db, head: "INSERT OR IGNORE INTO play_months (user_id, month, kind, item_id, plays, ms_played, judged, skipped, days)",
            row: "(\(userID), ?, ?, ?, ?, ?, ?, ?, ?)", tail: "", columns: 8)
        selectMonths = try RawStatement(db, """
            SELECT month, kind, item_id, days FROM play_months WHERE user_id = ?1 AND month BETWEEN ?2 AND ?3
            """)
        selectMonths.bind(1, userID)
        updateMonth = try RawStatement(db, """
            UPDATE play_months SET plays = plays + ?5, ms_played = ms_played + ?6, judged = judged + ?7,
                                   skipped = skipped + ?8, days = ?9
            WHERE user_id = ?1 AND month = ?2 AND kind = ?3 AND item_id = ?4
            """)
        updateMonth.bind(1, userID)
        selectDays = try RawStatement(db, """
            SELECT day, kind, source, plays, ms_played, counted_plays, counted_ms, quarters, spans
            FROM play_days LEFT JOIN play_spans USING (user_id, day, kind, source)
            WHERE user_id = ?1 AND day BETWEEN ?2 AND ?3
            """)
        selectDays.bind(1, userID)
        insertDays = try BatchedInsert(
            db, head: """
                INSERT OR IGNORE INTO play_days (user_id, day, kind, source, plays, ms_played, counted_plays, counted_ms,
                                                 quarters)
                """,
            row: "(\(userID), ?, ?, ?, ?, ?, ?, ?, ?)", tail: "", columns: 8)
        // Replacing cannot fail half-way here: every column has a value.
        writeSpans = try BatchedInsert(
            db, head: "INSERT OR REPLACE INTO play_spans (user_id, day, kind, source, spans)",
            row: "(\(userID), ?, ?, ?, ?)", tail: "", columns: 4)
        selectDayPlays = try RawStatement(db, """
            SELECT played_at, ms_played FROM plays
            WHERE user_id = ?1 AND played_at >= ?2 AND played_at < ?3 AND kind = ?4 AND source = ?5 AND ms_played >= ?6
            """)
        selectDayPlays.bind(1, userID)
        selectDayPlays.bind(6, Rollups.countedMillis)
        updateDay = try RawStatement(db, """
            UPDATE play_days SET plays = ?5, ms_played = ?6, counted_plays = ?7, counted_ms = ?8, quarters = ?9
            WHERE user_id = ?1 AND day = ?2 AND kind = ?3 AND source = ?4
            """)
        updateDay.bind(1, userID)
        deleteDays = try RawStatement(db, "DELETE FROM play_days WHERE user_id = ?1 AND day = ?2 AND kind = ?3 AND source = ?4")
        deleteDays.bind(1, userID)
        deleteSpans = try RawStatement(db, "DELETE FROM play_spans WHERE user_id = ?1 AND day = ?2 AND kind = ?3 AND source = ?4")
        deleteSpans.bind(1, userID)
    }

    /// The stored month rows from month `low` through `high`, each as `key(month, kind, item)`,
    /// with their days.
    func storedMonths(from low: Int64, through high: Int64, key: (Int64, PlayKind, Int64) -> RollupKey) throws
        -> [RollupKey: [MonthDays.Day]] {
        selectMonths.bind(2, low)
        selectMonths.bind(3, high)
        defer { selectMonths.reset() }
        var stored: [RollupKey: [MonthDays.Day]] = [:]
        while try selectMonths.step() {
            guard let kind = PlayKind(rawValue: selectMonths.text(column: 1)) else { continue }
            stored[key(selectMonths.int64(column: 0), kind, selectMonths.int64(column: 2))] =
                MonthDays.days(selectMonths.blob(column: 3))
        }
        return stored
    }

    /// Queues a new month row: `counts` are plays, milliseconds, judged plays and skips; the
    /// days' bytes must stay alive until `insertMonths.finish()`.
    func insertMonth(_ month: Int64, kind: PlayKind, item: Int64, counts: [Int64], days: UnsafeRawBufferPointer) throws {
        try insertMonths.add(.int(month), .text(kind.sqlText), .int(item), .int(counts[0]), .int(counts[1]), .int(counts[2]),
                             .int(counts[3]), .blob(days))
    }

    /// Adds `counts` (plays, milliseconds, judged plays, skips) to a stored month row and sets
    /// its days.
    func updateMonth(_ month: Int64, kind: PlayKind, item: Int64, adding counts: [Int64], days: UnsafeRawBufferPointer)
        throws {
        updateMonth.bind(2, month)
        updateMonth.bind(3, utf8: kind.sqlText)
        updateMonth.bind(4, item)
        for (offset, count) in counts.enumerated() { updateMonth.bind(Int32(5 + offset), count) }
        updateMonth.bind(9, blob: days)
        try updateMonth.run()
    }

    /// The counted plays of a day, kind and source, each as a session of its own.
    func countedPlays(onDay day: Int64, kind: PlayKind, source: PlaySource) throws -> [ListeningSession] {
        selectDayPlays.bind(2, day * Rollups.millisPerDay)
        selectDayPlays.bind(3, (day + 1) * Rollups.millisPerDay)
        selectDayPlays.bind(4, utf8: kind.sqlText)
        selectDayPlays.bind(5, utf8: source.sqlText)
        defer { selectDayPlays.reset() }
        var plays: [ListeningSession] = []
        while try selectDayPlays.step() {
            let end = selectDayPlays.int64(column: 0)
            plays.append(ListeningSession(start: end - selectDayPlays.int64(column: 1), end: end, plays: 1))
        }
        return plays
    }

    /// Removes a day that has no plays left, with its sessions.
    func deleteDay(_ day: Int64, kind: PlayKind, source: PlaySource) throws {
        for statement in [deleteDays, deleteSpans] {
            statement.bind(2, day)
            statement.bind(3, utf8: kind.sqlText)
            statement.bind(4, utf8: source.sqlText)
            try statement.run()
        }
    }

    /// Writes a day row's new values and sessions, stored or new; the blobs' bytes must stay
    /// alive until `insertDays.finish()` and `writeSpans.finish()`.
    func writeDay(_ day: Int64, kind: PlayKind, source: PlaySource, sums: [Int64], quarters: UnsafeRawBufferPointer,
                  spans: UnsafeRawBufferPointer, stored: Bool) throws {
        try writeSpans.add(.int(day), .text(kind.sqlText), .text(source.sqlText), .blob(spans))
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

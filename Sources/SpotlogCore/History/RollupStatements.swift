import GRDB

/// The statements that write an accumulator's changes to the rollup tables of one user; they
/// belong to the connection they were prepared on.
final class RollupStatements {
    let upsertTotals, upsertMonths: BatchedInsert
    let replaceDays: BatchedInsert
    let selectDays, deleteDay: RawStatement

    init(userID: Int64, db: Database) throws {
        upsertTotals = try BatchedInsert(
            db, head: "INSERT INTO play_totals (user_id, kind, item_id, plays, ms_played, first_played_at, last_played_at)",
            row: "(\(userID), ?, ?, ?, ?, ?, ?)", tail: """
                ON CONFLICT (user_id, kind, item_id) DO UPDATE SET
                  plays = plays + excluded.plays, ms_played = ms_played + excluded.ms_played,
                  first_played_at = min(first_played_at, excluded.first_played_at),
                  last_played_at = max(last_played_at, excluded.last_played_at)
                """, columns: 6)
        upsertMonths = try BatchedInsert(
            db, head: "INSERT INTO play_months (user_id, month, kind, item_id, plays, ms_played)",
            row: "(\(userID), ?, ?, ?, ?, ?)", tail: """
                ON CONFLICT (user_id, month, kind, item_id) DO UPDATE SET
                  plays = plays + excluded.plays, ms_played = ms_played + excluded.ms_played
                """, columns: 5)
        selectDays = try RawStatement(db, """
            SELECT day, kind, source, plays, ms_played, counted_plays, counted_ms, quarters FROM play_days
            WHERE user_id = ?1 AND day BETWEEN ?2 AND ?3
            """)
        selectDays.bind(1, userID)
        replaceDays = try BatchedInsert(
            db, head: """
                INSERT OR REPLACE INTO play_days (user_id, day, kind, source, plays, ms_played, counted_plays, counted_ms,
                                                  quarters)
                """,
            row: "(\(userID), ?, ?, ?, ?, ?, ?, ?, ?)", tail: "", columns: 8)
        deleteDay = try RawStatement(db, "DELETE FROM play_days WHERE user_id = ?1 AND day = ?2 AND kind = ?3 AND source = ?4")
        deleteDay.bind(1, userID)
    }
}

import GRDB

/// Rebuilds the rollup tables from `plays`: for the schema migration that introduces them, and
/// to check (in tests) that incremental maintenance agrees with a fresh computation.
public enum RollupBuilder {
    public static func rebuild(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM play_totals; DELETE FROM play_months; DELETE FROM play_days; DELETE FROM play_spans")
        for user in try Int64.fetchAll(db, sql: "SELECT id FROM users ORDER BY id") {
            let accumulator = RollupAccumulator(userID: user)
            let plays = try Row.fetchCursor(db, sql: """
                SELECT kind, item_id, source, played_at, ms_played, flags FROM plays WHERE user_id = ?
                """, arguments: [user])
            while let play = try plays.next() {
                guard let kind = PlayKind(rawValue: try play.decode(atIndex: 0)),
                      let source = PlaySource(rawValue: try play.decode(atIndex: 2)) else { continue }
                accumulator.add(kind: kind, item: try play.decode(atIndex: 1), source: source,
                                playedAt: try play.decode(atIndex: 3), millis: try play.decode(atIndex: 4),
                                skipped: PlayFlags(rawValue: try play.decode(atIndex: 5)).skipped)
            }
            try accumulator.flush(db)
        }
    }
}

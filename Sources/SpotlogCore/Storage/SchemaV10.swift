import Foundation
import GRDB

extension Schema {
    /// Schema v10: rollups for the deeper questions (one artist or song, skips, sessions).
    ///
    /// - `play_months.days`: the days of the month with counted plays of the item, each with the
    ///   UTC quarter-hour of its first and last counted play (3 bytes a day), which place them in
    ///   the local days of any zone: daily streaks and local months of one item.
    /// - `play_months.judged` and `skipped`: the plays whose record says whether they were
    ///   skipped (however short), and how many were. Rows with judged plays but no counted play
    ///   now exist, with `plays` 0.
    /// - `play_spans`: beside each `play_days` row, the sessions of its counted plays with a
    ///   30-minute gap (start, end and plays, three little-endian i64 each; see `SessionSpans`):
    ///   sessions with a gap of 30 minutes or more without reading `plays`.
    /// All three are filled here from `plays`, by this migration's own SQL and code (frozen).
    static func deeperRollups(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE play_months ADD COLUMN judged INTEGER NOT NULL DEFAULT 0;   -- plays with skip data
            ALTER TABLE play_months ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;  -- of which skipped
            ALTER TABLE play_months ADD COLUMN days BLOB NOT NULL DEFAULT x'';      -- (day, first, last quarter)
            CREATE TABLE play_spans (
              user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              day INTEGER NOT NULL,                      -- as in play_days
              kind TEXT NOT NULL,
              source TEXT NOT NULL,
              spans BLOB NOT NULL,                       -- sessions of counted plays, 30-minute gap
              PRIMARY KEY (user_id, day, kind, source)
            ) WITHOUT ROWID;
            """)
        let utc = "played_at / 1000.0, 'unixepoch'"
        let month = "(CAST(strftime('%Y', \(utc)) AS INTEGER) * 12 + CAST(strftime('%m', \(utc)) AS INTEGER) - 1)"
        try db.execute(sql: """
            CREATE TEMP TABLE v10_skips AS
              SELECT user_id, \(month) AS month, kind, item_id, count(*) AS judged, sum(((flags >> 2) & 3) = 2) AS skipped
              FROM plays WHERE ((flags >> 2) & 3) <> 0 GROUP BY 1, 2, 3, 4;
            INSERT OR IGNORE INTO play_months (user_id, month, kind, item_id, plays, ms_played)
              SELECT user_id, month, kind, item_id, 0, 0 FROM v10_skips;
            UPDATE play_months SET judged = s.judged, skipped = s.skipped FROM v10_skips s
              WHERE s.user_id = play_months.user_id AND s.month = play_months.month AND s.kind = play_months.kind
                AND s.item_id = play_months.item_id;
            DROP TABLE v10_skips;
            """)
        try fillMonthDays(db, month: month, utc: utc)
        try fillDaySpans(db)
    }

    private static func fillMonthDays(_ db: Database, month: String, utc: String) throws {
        let update = try db.makeStatement(sql: """
            UPDATE play_months SET days = ? WHERE user_id = ? AND month = ? AND kind = ? AND item_id = ?
            """)
        let days = try Row.fetchCursor(db, sql: """
            SELECT user_id, \(month) AS month, kind, item_id, CAST(strftime('%d', \(utc)) AS INTEGER) AS day,
                   min((played_at % 86400000) / 900000), max((played_at % 86400000) / 900000)
            FROM plays WHERE ms_played >= 30000 GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
            """)
        var row: [DatabaseValue]?
        var blob: [UInt8] = []
        func write() throws {
            guard let row else { return }
            try update.execute(arguments: StatementArguments([Data(blob)] + row))
        }
        while let day = try days.next() {
            let key: [DatabaseValue] = (0..<4).map { day[$0] }
            if row != key {
                try write()
                row = key
                blob.removeAll(keepingCapacity: true)
            }
            blob += [UInt8(day[4] as Int), UInt8(day[5] as Int), UInt8(day[6] as Int)]
        }
        try write()
    }

    /// Each day row's 30-minute sessions of counted plays.
    private static func fillDaySpans(_ db: Database) throws {
        let insert = try db.makeStatement(sql: """
            INSERT INTO play_spans (spans, user_id, day, kind, source) VALUES (?, ?, ?, ?, ?)
            """)
        let day = "((played_at - ((played_at % 86400000) + 86400000) % 86400000) / 86400000)"
        // Every day row gets one, with no session when it has no counted play.
        let plays = try Row.fetchCursor(db, sql: """
            SELECT user_id, \(day) AS day, kind, source, played_at, ms_played FROM plays
            ORDER BY user_id, day, kind, source, played_at, ms_played
            """)
        var row: [DatabaseValue]?
        var spans: [(start: Int64, end: Int64, plays: Int64)] = []
        func write() throws {
            guard let row else { return }
            var blob: [UInt8] = []
            for span in spans {
                for value in [span.start, span.end, span.plays] { withUnsafeBytes(of: value.littleEndian) { blob.append(contentsOf: $0) } }
            }
            try insert.execute(arguments: StatementArguments([Data(blob)] + row))
        }
        while let play = try plays.next() {
            let key: [DatabaseValue] = (0..<4).map { play[$0] }
            if row != key {
                try write()
                row = key
                spans.removeAll(keepingCapacity: true)
            }
            // Sessions of plays of at least 30 s, in order of end: a play joins the sessions that
            // ended no more than 30 minutes before it started.
            let end: Int64 = play[4], millis: Int64 = play[5]
            guard millis >= 30_000 else { continue }
            var span = (start: end - millis, end: end, plays: Int64(1))
            while let last = spans.last, last.end + 1_800_000 >= span.start {
                spans.removeLast()
                span = (min(last.start, span.start), max(last.end, span.end), last.plays + span.plays)
            }
            spans.append(span)
        }
        try write()
    }
}

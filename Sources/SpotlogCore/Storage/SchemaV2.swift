import Foundation
import GRDB

extension Schema {
    /// Schema v2: the rollup tables, filled from the plays stored so far.
    ///
    /// Frozen: this is what v2 did when it shipped, written out here (SQL, and the dense
    /// `quarters` blobs of that time: 96 x (u32 plays, u32 ms), little-endian, which v4 makes
    /// sparse), so that later changes to the live rollup code cannot change what it does.
    static func historyRollups(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE play_totals (
              user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              kind TEXT NOT NULL,
              item_id INTEGER NOT NULL,
              plays INTEGER NOT NULL,
              ms_played INTEGER NOT NULL,
              first_played_at INTEGER NOT NULL,
              last_played_at INTEGER NOT NULL,
              PRIMARY KEY (user_id, kind, item_id)
            ) WITHOUT ROWID;

            CREATE TABLE play_months (
              user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              month INTEGER NOT NULL,                    -- UTC calendar month: year * 12 + month - 1
              kind TEXT NOT NULL,
              item_id INTEGER NOT NULL,
              plays INTEGER NOT NULL,
              ms_played INTEGER NOT NULL,
              PRIMARY KEY (user_id, month, kind, item_id)
            ) WITHOUT ROWID;

            CREATE TABLE play_days (
              user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
              day INTEGER NOT NULL,                      -- UTC day: days since 1970-01-01
              kind TEXT NOT NULL,
              source TEXT NOT NULL,
              plays INTEGER NOT NULL,                    -- every play, however short
              ms_played INTEGER NOT NULL,
              counted_plays INTEGER NOT NULL,            -- plays of at least 30 s
              counted_ms INTEGER NOT NULL,
              quarters BLOB NOT NULL,                    -- counted plays and ms per UTC quarter-hour:
                                                         -- 96 x (u32 plays, u32 ms), little-endian
              PRIMARY KEY (user_id, day, kind, source)
            ) WITHOUT ROWID;

            INSERT INTO play_totals (user_id, kind, item_id, plays, ms_played, first_played_at, last_played_at)
              SELECT user_id, kind, item_id, count(*), sum(ms_played), min(played_at), max(played_at)
              FROM plays WHERE ms_played >= 30000 GROUP BY user_id, kind, item_id;

            INSERT INTO play_months (user_id, month, kind, item_id, plays, ms_played)
              SELECT user_id,
                     CAST(strftime('%Y', played_at / 1000.0, 'unixepoch') AS INTEGER) * 12
                       + CAST(strftime('%m', played_at / 1000.0, 'unixepoch') AS INTEGER) - 1,
                     kind, item_id, count(*), sum(ms_played)
              FROM plays WHERE ms_played >= 30000 GROUP BY 1, 2, 3, 4;
            """)
        // Per day, kind and source: every play, and the counted ones per quarter-hour.
        let dayOf = "((played_at - ((played_at % 86400000) + 86400000) % 86400000) / 86400000)"
        let rows = try Row.fetchAll(db, sql: """
            SELECT user_id, \(dayOf) AS day, kind, source, count(*), sum(ms_played),
                   sum(ms_played >= 30000), sum(CASE WHEN ms_played >= 30000 THEN ms_played ELSE 0 END)
            FROM plays GROUP BY 1, 2, 3, 4
            """)
        let quarters = try Row.fetchAll(db, sql: """
            SELECT user_id, \(dayOf) AS day, kind, source, (played_at - \(dayOf) * 86400000) / 900000 AS quarter,
                   count(*), sum(ms_played)
            FROM plays WHERE ms_played >= 30000 GROUP BY 1, 2, 3, 4, 5
            """)
        func key(_ row: Row) throws -> String {
            "\(try row.decode(Int64.self, atIndex: 0))/\(try row.decode(Int64.self, atIndex: 1))/"
                + "\(try row.decode(String.self, atIndex: 2))/\(try row.decode(String.self, atIndex: 3))"
        }
        var blobs: [String: [UInt8]] = [:]
        for row in quarters {
            let key = try key(row)
            var blob = blobs[key] ?? [UInt8](repeating: 0, count: 96 * 8)
            let quarter = Int(try row.decode(Int64.self, atIndex: 4))
            for (offset, value) in [(0, try row.decode(Int64.self, atIndex: 5)), (4, try row.decode(Int64.self, atIndex: 6))] {
                let clamped = UInt32(clamping: value)
                for byte in 0..<4 { blob[quarter * 8 + offset + byte] = UInt8(truncatingIfNeeded: clamped >> (8 * byte)) }
            }
            blobs[key] = blob
        }
        let insert = try db.makeStatement(sql: """
            INSERT INTO play_days (user_id, day, kind, source, plays, ms_played, counted_plays, counted_ms, quarters)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for row in rows {
            let key = try key(row)
            try insert.execute(arguments: [row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7],
                                           Data(blobs[key] ?? [UInt8](repeating: 0, count: 96 * 8))])
        }
    }
}

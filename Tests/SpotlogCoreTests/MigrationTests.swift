import Foundation
import GRDB
import Testing
@testable import SpotlogCore

/// Old databases reach today's schema with every play and record intact.
@Suite struct MigrationTests {
    @Test func aVersionOneDatabaseGetsRollupsEqualToARebuild() throws {
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue, upTo: "v1_domain")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO users (id, name, created_at, updated_at) VALUES (1, 'a', 0, 0), (2, 'b', 0, 0)")
            var seed: UInt64 = 7
            for index in 0..<400 {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let playedAt = 1_700_000_000_000 + Int64(index) * 4_321_987 + Int64(seed >> 44)
                try db.execute(sql: """
                    INSERT INTO plays (user_id, kind, item_id, played_at, ms_played, source) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [1 + index % 2, ["music", "podcast"][index % 7 == 0 ? 1 : 0], Int(seed >> 60),
                                     playedAt, [12_000, 30_000, 200_000][index % 3], ["extended", "account"][index % 5 == 0 ? 1 : 0]])
            }
        }
        try Schema.migrator.migrate(queue)
        func rollups() throws -> [String] {
            try queue.read { db in
                try String.fetchAll(db, sql: """
                    SELECT 'total ' || user_id || kind || item_id || ' ' || plays || ' ' || ms_played || ' ' || first_played_at
                           || ' ' || last_played_at FROM play_totals
                    UNION ALL SELECT 'month ' || user_id || month || kind || item_id || ' ' || plays || ' ' || ms_played
                    FROM play_months
                    UNION ALL SELECT 'day ' || user_id || day || kind || source || ' ' || plays || ' ' || ms_played || ' '
                           || counted_plays || ' ' || counted_ms || ' ' || hex(quarters) FROM play_days
                    ORDER BY 1
                    """)
            }
        }
        let migrated = try rollups()
        #expect(migrated.count > 200)
        try queue.write { db in try RollupBuilder.rebuild(db) }
        #expect(try rollups() == migrated)
    }

    /// v10's frozen fill of month days, skip counts and day sessions equals what the live
    /// accumulator builds from the same plays.
    @Test func aVersionNineDatabaseGetsDeeperRollupsEqualToARebuild() throws {
        let queue = try DatabaseQueue()
        // Plays written at v1 get v9's rollups from the v2 migration, as a real database has them.
        try Schema.migrator.migrate(queue, upTo: "v1_domain")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO users (id, name, created_at, updated_at) VALUES (1, 'a', 0, 0), (2, 'b', 0, 0)")
            var seed: UInt64 = 11
            for index in 0..<600 {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                // Plays about 3 hours apart over two and a half months, across month and day ends.
                let playedAt = 1_706_700_000_000 + Int64(index) * 10_987_654 + Int64(seed >> 46)
                try db.execute(sql: """
                    INSERT INTO plays (user_id, kind, item_id, played_at, ms_played, source) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [1 + index % 2, ["music", "podcast"][index % 7 == 0 ? 1 : 0], Int(seed >> 60), playedAt,
                                     [4_000, 30_000, 200_000, 29_999][index % 4], ["extended", "account"][index % 5 == 0 ? 1 : 0]])
            }
        }
        try Schema.migrator.migrate(queue, upTo: "v9_songs_and_artist_aliases")
        // Skip data: unknown, not skipped and skipped (two bits from bit 2), shuffle on some.
        try queue.write { db in try db.execute(sql: "UPDATE plays SET flags = ((played_at / 7) % 3) << 2 | (played_at % 2)") }
        try Schema.migrator.migrate(queue)
        func rollups() throws -> [String] {
            try queue.read { db in
                try String.fetchAll(db, sql: """
                    SELECT 'month ' || user_id || ' ' || month || kind || item_id || ' ' || plays || ' ' || ms_played || ' '
                           || judged || ' ' || skipped || ' ' || hex(days) FROM play_months
                    UNION ALL SELECT 'day ' || user_id || ' ' || day || kind || source || ' ' || plays || ' ' || hex(spans)
                    FROM play_days JOIN play_spans USING (user_id, day, kind, source)
                    ORDER BY 1
                    """)
            }
        }
        let migrated = try rollups()
        #expect(migrated.count > 300)
        #expect(migrated.contains { $0.hasPrefix("month ") && $0.hasSuffix(" ") })  // judged plays without counted ones
        try queue.write { db in try RollupBuilder.rebuild(db) }
        #expect(try rollups() == migrated)
    }

    @Test func aVersionFiveDatabaseWithMergedAccountRowsMigrates() throws {
        let fixture = try ExportFixture()
        let path = fixture.root.appendingPathComponent("v5.db").path
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v5_plays_by_identity")
        // The item an account-data row of "Artist - Song" is catalogued as.
        let accountItem = IdentityKey.localURI(["Artist", "Song", ""])
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO users (id, name, created_at, updated_at) VALUES (1, 'listener', 0, 0);
                INSERT INTO artists (id, uri, name, name_key) VALUES (1, 'local:a', 'Artist', 'artist');
                INSERT INTO tracks (id, uri, name, match_key) VALUES (1, 'spotify:track:abc', 'Song', 'artist|song'),
                                                                     (2, ?, 'Song', 'artist|song');
                INSERT INTO track_artists (track_id, position, artist_id) VALUES (1, 0, 1), (2, 0, 1);
                INSERT INTO plays (user_id, played_at, kind, item_id, variant, ms_played, source)
                  VALUES (1, 1714564812000, 'music', 1, 0, 200000, 'extended'),
                         (1, 1714568400000, 'music', 2, 90000, 90000, 'account');
                INSERT INTO account_records (user_id, ended_minute, kind, item_id, ms_played, play_played_at, play_item_id,
                                             play_variant)
                  VALUES (1, 1714564800000, 'music', 2, 200000, 1714564812000, 1, 0),
                         (1, 1714568400000, 'music', 2, 90000, 1714568400000, 2, 90000);
                """, arguments: [accountItem])
        }
        let before = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT played_at || ' ' || item_id || ' ' || source FROM plays ORDER BY 1")
        }
        try queue.close()

        let database = try SpotlogDatabase.open(path: path)
        #expect(try database.appliedMigrations() == Schema.migrationNames)
        let after = try database.reader.read { db in
            try String.fetchAll(db, sql: "SELECT played_at || ' ' || item_id || ' ' || source FROM plays ORDER BY 1")
        }
        #expect(after == before)
        #expect(try database.reader.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }.isEmpty)
        #expect(try database.reader.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM play_details WHERE ms_estimated = 0")
        } == 2)
        // The account rows, merged or not, are recognised when imported again.
        let folder = try fixture.directory(["StreamingHistory_music_0.json": Records.json([
            Records.account("2024-05-01 12:00", ms: 200_000), Records.account("2024-05-01 13:00", ms: 90_000),
        ])])
        let report = try Importer(database: database).run(Importer.Options(paths: [folder], userHandle: "listener"))
        #expect(report.totals.duplicates == 2 && report.totals.inserted == 0)
    }
}

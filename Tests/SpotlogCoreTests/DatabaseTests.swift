import Foundation
import GRDB
import Testing
@testable import SpotlogCore

@Suite struct DatabaseTests {
    static func temporaryPath(_ name: String = "spotlog.db") -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("spotlog-core-\(UUID().uuidString)/nested/\(name)").path
    }

    @Test func migratesAnEmptyDatabase() throws {
        let database = try SpotlogDatabase.inMemory()
        #expect(try database.appliedMigrations() == Schema.migrationNames)
        let tables = try database.reader.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        for table in ["users", "tokens", "artists", "albums", "tracks", "track_artists", "shows", "episodes",
                      "audiobooks", "chapters", "plays", "play_contexts", "account_records", "sync_state", "job_runs",
                      "import_jobs", "logs", "settings"] {
            #expect(tables.contains(table), "table \(table) exists")
        }
    }

    @Test func compactingPlaysKeepsEveryField() throws {
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue, upTo: "v2_history_rollups")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO users (id, name, created_at, updated_at) VALUES (1, 'alice', 0, 0);
                INSERT INTO plays (user_id, kind, item_id, played_at, ms_played, source, platform, country, reason_start,
                                   reason_end, shuffle, skipped, offline, offline_timestamp, incognito, context_uri)
                VALUES (1, 'music', 7, 1000, 200000, 'extended', 'linux', 'GB', 'clickrow', 'trackdone', 1, 0, NULL,
                        900, 1, 'spotify:playlist:p'),
                       (1, 'music', 7, 2000, 100000, 'extended', 'linux', 'GB', 'clickrow', 'trackdone', 0, 1, 0, NULL,
                        NULL, NULL),
                       (1, 'music', 7, 3000, 100000, 'account', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
                """)
        }
        let columns = """
            user_id, kind, item_id, played_at, ms_played, source, variant, platform, country, reason_start,
            reason_end, shuffle, skipped, offline, offline_timestamp, incognito, context_uri
            """
        let before = try queue.read { db in try Row.fetchAll(db, sql: "SELECT \(columns) FROM plays ORDER BY played_at") }
        try Schema.migrator.migrate(queue)
        let after = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT \(columns) FROM play_details ORDER BY played_at")
        }
        #expect(after == before)
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM play_contexts") } == 1)
        #expect(try queue.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }.isEmpty)
    }

    @Test func playsKeyedByIdentityKeepEveryPlayAndAccountRow() throws {
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue, upTo: "v4_sparse_quarters")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO users (id, name, created_at, updated_at) VALUES (1, 'alice', 0, 0), (2, 'bob', 0, 0);
                INSERT INTO play_contexts (id, platform, country, reason_start, reason_end) VALUES (5, 'linux', 'GB', '', '');
                INSERT INTO plays (id, user_id, kind, item_id, played_at, ms_played, source, variant, context_id, flags,
                                   offline_timestamp, context_uri)
                VALUES (10, 1, 'music', 7, 60000, 200000, 'extended', 0, 5, 6, 900, 'spotify:playlist:p'),
                       (11, 1, 'music', 8, 120000, 30000, 'account', 30000, NULL, 0, NULL, NULL),
                       (12, 2, 'podcast', 7, 60000, 5000, 'api', 0, NULL, 21, NULL, NULL);
                INSERT INTO account_records (user_id, ended_minute, kind, item_id, ms_played, play_id)
                VALUES (1, 60000, 'music', 9, 199000, 10), (1, 120000, 'music', 8, 30000, 11);
                """)
        }
        let columns = """
            user_id, played_at, kind, item_id, variant, ms_played, source, context_id, flags, offline_timestamp, context_uri
            """
        let plays = "SELECT \(columns) FROM plays ORDER BY user_id, played_at"
        let before = try queue.read { db in try Row.fetchAll(db, sql: plays) }
        try Schema.migrator.migrate(queue)
        #expect(try queue.read { db in try Row.fetchAll(db, sql: plays) } == before)
        let links = try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.item_id, p.item_id AS play_item, p.source FROM account_records a
                JOIN plays p ON p.user_id = a.user_id AND p.played_at = a.play_played_at AND p.kind = a.kind
                  AND p.item_id = a.play_item_id AND p.variant = a.play_variant
                ORDER BY a.ended_minute
                """)
        }
        #expect(links.map { "\($0["item_id"] as Int64) \($0["play_item"] as Int64) \($0["source"] as String)" }
                == ["9 7 extended", "8 8 account"])
        #expect(try queue.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }.isEmpty)
        // Deleting a user still deletes their plays, and the plays their account rows.
        try queue.write { db in try db.execute(sql: "DELETE FROM users WHERE id = 1") }
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM account_records") } == 0)
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM plays") } == 1)
    }

    @Test func sparseQuartersKeepEveryCount() throws {
        let queue = try DatabaseQueue()
        try Schema.migrator.migrate(queue, upTo: "v3_compact_plays")
        var dense = [UInt8](repeating: 0, count: 96 * 8)
        dense[8 * 10] = 3; dense[8 * 10 + 4] = 0x20  // quarter 10: 3 plays, 32 ms
        dense[8 * 90] = 1; dense[8 * 90 + 5] = 0x01  // quarter 90: 1 play, 256 ms
        let alreadySparse: [UInt8] = [7, 1, 0, 0, 0, 0x40, 0, 0, 0]
        try queue.write { db in
            try db.execute(sql: "INSERT INTO users (id, name, created_at, updated_at) VALUES (1, 'alice', 0, 0)")
            for (day, blob) in [(1, dense), (2, alreadySparse)] {
                try db.execute(sql: """
                    INSERT INTO play_days (user_id, day, kind, source, plays, ms_played, counted_plays, counted_ms, quarters)
                    VALUES (1, ?, 'music', 'extended', 4, 288, 4, 288, ?)
                    """, arguments: [day, Data(blob)])
            }
        }
        try Schema.migrator.migrate(queue)
        let blobs = try queue.read { db in try Data.fetchAll(db, sql: "SELECT quarters FROM play_days ORDER BY day") }
        #expect(blobs.map { RollupTests.entries(Array($0)) } == [[[10, 3, 32], [90, 1, 256]], [[7, 1, 64]]])
    }

    @Test func createsTheFilePrivatelyAndReopensIt() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        do {
            let database = try SpotlogDatabase.open(path: path)
            try UserDirectory(database: database).create(name: "alice")
        }
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let directoryMode = try FileManager.default.attributesOfItem(
            atPath: (path as NSString).deletingLastPathComponent)[.posixPermissions] as? Int
        #expect(directoryMode == 0o700)

        let reopened = try SpotlogDatabase.open(path: path)
        #expect(try reopened.schemaVersion() == Schema.migrationNames.count)
        #expect(try UserDirectory(database: reopened).all().map(\.name) == ["alice"])
        let journal = try reopened.reader.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        #expect(try reopened.reader.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } == 16384)
        let foreignKeys = try reopened.reader.read { db in try Int.fetchOne(db, sql: "PRAGMA foreign_keys") }
        #expect(foreignKeys == 1)
    }

    @Test func refusesAFileThatIsNotADatabase() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data("not a database at all, just text that is long enough".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: SpotlogError.self) { try SpotlogDatabase.open(path: path) }
        do {
            _ = try SpotlogDatabase.open(path: path)
        } catch let error as SpotlogError {
            #expect(error.category == .badInput)
        }
    }

    @Test func refusesADatabaseFromANewerSpotlog() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        do {
            let database = try SpotlogDatabase.open(path: path)
            try database.writer.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999_from_the_future')")
            }
        }
        do {
            _ = try SpotlogDatabase.open(path: path)
            Issue.record("opening should fail")
        } catch let error as SpotlogError {
            #expect(error.category == .configuration)
            #expect(error.message.contains("newer spotlog"))
        }
    }

    static func insertPlay(_ db: Database, kind: String = "music", playedAt: Int64 = 1000, variant: Int64 = 0) throws {
        try db.execute(sql: """
            INSERT INTO plays (user_id, kind, item_id, played_at, ms_played, source, variant)
            VALUES (1, ?, 1, ?, 5000, 'extended', ?) ON CONFLICT DO NOTHING
            """, arguments: [kind, playedAt, variant])
    }

    static func seedUserAndTrack(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO users (id, name, created_at, updated_at) VALUES (1, 'a', 0, 0);
            INSERT INTO tracks (id, uri, name, match_key) VALUES (1, 'spotify:track:x', 'X', 'a|x');
            """)
    }

    /// The users in a copy of the database file alone, without its write-ahead log.
    static func usersInMainFile(_ path: String) throws -> [String] {
        let copy = path + "-copy"
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        return try DatabaseQueue(path: copy).read { db in try String.fetchAll(db, sql: "SELECT name FROM users ORDER BY name") }
    }

    @Test func backgroundCheckpointsMoveCommittedPagesIntoTheFile() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let database = try SpotlogDatabase.open(path: path)
        try database.writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA wal_autocheckpoint = 0")
        }
        try database.writer.write { db in _ = try UserDirectory.create(name: "alice", in: db) }
        #expect(try Self.usersInMainFile(path) == [], "without a checkpoint the row is only in the log")

        let checkpointer = try BackgroundCheckpointer(path: path)
        checkpointer.checkpoint()
        try database.writer.write { db in _ = try UserDirectory.create(name: "bob", in: db) }
        checkpointer.finish()
        #expect(try Self.usersInMainFile(path) == ["alice", "bob"])
    }

    @Test func samePlayTwiceIsANoOp() throws {
        let database = try SpotlogDatabase.inMemory()
        try database.writer.write { db in
            try Self.seedUserAndTrack(db)
            try Self.insertPlay(db)
            try Self.insertPlay(db)
            try Self.insertPlay(db, variant: 4000)  // an account-data play of the same minute: a different play
        }
        #expect(try database.reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM plays") } == 2)
    }

    @Test func playsRejectAnUnknownKind() throws {
        let database = try SpotlogDatabase.inMemory()
        try database.writer.write { db in try Self.seedUserAndTrack(db) }
        let error = #expect(throws: DatabaseError.self) {
            try database.writer.write { db in try Self.insertPlay(db, kind: "radio") }
        }
        #expect(error?.resultCode == .SQLITE_CONSTRAINT)
    }
}

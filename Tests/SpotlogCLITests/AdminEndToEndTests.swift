import Foundation
import GRDB
import SpotlogCore
import Testing

/// `spotlog admin users ...`, `admin jobs` and `admin imports` through the built binary.
@Suite struct AdminEndToEndTests {
    static func document(_ result: Sandbox.Result) throws -> [String: Any] {
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// The sample imported for its listener, and a small export for "other".
    static func twoUsers() throws -> Sandbox {
        let sandbox = try Sandbox()
        sandbox.extraEnvironment = ["SPOTLOG_NOW": "2025-06-05T12:00:00Z"]
        #expect(try sandbox.run(["import", ImportEndToEndTests.sample, "--quiet"]).status == 0)
        #expect(try sandbox.run(["admin", "users", "add", "other"]).status == 0)
        let rows = (0..<12).map { index in
            "{\"ts\": \"2024-03-0\(1 + index % 9)T10:\(10 + index):00Z\", \"ms_played\": 90000, "
                + "\"master_metadata_track_name\": \"Own \(index % 4)\", \"master_metadata_album_artist_name\": \"Björk\", "
                + "\"spotify_track_uri\": \"spotify:track:own\(index % 4)\"}"
        }
        let file = sandbox.root.appendingPathComponent("Streaming_History_Audio_2024.json")
        try Data(("[" + rows.joined(separator: ",") + "]").utf8).write(to: file)
        #expect(try sandbox.run(["import", file.path, "--quiet", "--user", "other"]).status == 0)
        return sandbox
    }

    @Test func usersAreAddedListedShownPausedResumedAndSyncTriggered() throws {
        let sandbox = try Self.twoUsers()
        let list = try JSONSerialization.jsonObject(with: Data(try sandbox.run(["admin", "users", "list", "--json"]).stdout.utf8))
        let users = try #require(list as? [[String: Any]])
        #expect(users.map { $0["name"] as? String } == ["sample_listener", "other"])
        #expect(users.map { $0["plays"] as? Int } == [3024, 12])
        #expect(users[1]["first_play"] as? String == "2024-03-01T10:10:00Z")
        #expect(try sandbox.run(["admin", "users", "add", "other"]).status == 64, "names are unique")

        let show = try Self.document(try sandbox.run(["admin", "users", "show", "other", "--json"]))
        #expect(show["plays"] as? Int == 12 && (show["plays_by_source"] as? [String: Int]) == ["extended/music": 12])
        #expect((show["jobs"] as? [[String: Any]])?.first?["type"] as? String == "import")
        #expect((show["imports"] as? [[String: Any]])?.count == 1)
        #expect(try sandbox.run(["admin", "users", "show", "nobody"]).status == 66)

        #expect(try Self.document(try sandbox.run(["admin", "users", "pause", "other", "--json"]))["status"] as? String == "paused")
        #expect(try sandbox.run(["admin", "users", "list"]).stdout.contains("paused"))
        #expect(try Self.document(try sandbox.run(["admin", "users", "resume", "other", "--json"]))["status"] as? String == "active")
        #expect(try sandbox.run(["admin", "users", "trigger-sync", "other"]).status == 0)
        let synced = try Self.document(try sandbox.run(["admin", "users", "show", "other", "--json"]))
        #expect((synced["sync"] as? [String: Any])?["initial_sync"] as? String == "pending")
    }

    @Test func deletingAUserAsksAndLeavesTheOthersHistoryUntouched() throws {
        let sandbox = try Self.twoUsers()
        let queries = ["top-artists", "summary", "heatmap", "timeline", "discoveries", "coverage"]
        func answers() throws -> [String] {
            try queries.map { try sandbox.run(["history", $0, "--json", "--user", "sample_listener"]).stdout }
        }
        let before = try answers()
        let refused = try sandbox.run(["admin", "users", "delete", "other"])
        #expect(refused.status == 64, "no terminal and no --yes")
        #expect(refused.stderr.contains("--yes"))
        #expect(try sandbox.run(["admin", "users", "show", "other"]).status == 0, "nothing was deleted")

        let deleted = try Self.document(try sandbox.run(["admin", "users", "delete", "other", "--yes", "--json"]))
        #expect(deleted["deleted_plays"] as? Int == 12)
        #expect(try answers() == before)
        #expect(try sandbox.run(["admin", "users", "show", "other"]).status == 66)
        let database = try SpotlogDatabase.open(path: sandbox.defaultDatabase.path)
        let counts = try database.reader.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM tracks WHERE uri LIKE 'spotify:track:own%'"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM import_jobs WHERE user_id IS NULL"))
        }
        #expect(counts.0 == 0, "the deleted user's own tracks are pruned")
        #expect(counts.1 == 0, "their imports are gone, not orphaned")
        let rollups = try database.reader.read { db in
            try String.fetchAll(db, sql: "SELECT user_id || kind || item_id || plays || ms_played FROM play_totals ORDER BY 1")
        }
        try database.writer.write { db in try RollupBuilder.rebuild(db) }
        #expect(try database.reader.read { db in
            try String.fetchAll(db, sql: "SELECT user_id || kind || item_id || plays || ms_played FROM play_totals ORDER BY 1")
        } == rollups)
    }

    /// Every command this work added explains itself, and refuses bad input with one clear line
    /// and the usage (64) or not-found (66) exit code.
    @Test func newCommandsHaveHelpAndRefuseBadInput() throws {
        let sandbox = try Sandbox()
        try sandbox.createDatabase()
        for command in [["poll"], ["sync"], ["enrich"], ["daemon"], ["logs"], ["logs", "purge"], ["admin", "jobs"],
                        ["admin", "imports"], ["admin", "users", "add"], ["admin", "users", "show"], ["admin", "users", "delete"]] {
            let help = try sandbox.run(command + ["--help"])
            #expect(help.status == 0 && help.stdout.contains("spotlog \(command.joined(separator: " "))"), "\(command)")
        }
        let cases: [([String], Int32)] = [
            (["poll", "--all", "--user", "x"], 64), (["sync", "--max-days", "0"], 64), (["enrich", "--budget", "0"], 64),
            (["daemon", "--interval", "soon"], 64), (["admin", "jobs", "--type", "bogus"], 64),
            (["admin", "imports", "--before", "abc"], 64), (["logs", "--since", "someday"], 64),
            (["logs", "purge", "--older-than", "soon"], 64), (["admin", "users", "add", " "], 64),
            (["admin", "users", "delete", "nobody", "--yes"], 66), (["admin", "users", "pause", "nobody"], 66),
        ]
        for (arguments, status) in cases {
            let result = try sandbox.run(arguments)
            #expect(result.status == status, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix("spotlog: error: ") && result.stderr.split(separator: "\n").count == 1,
                    "\(arguments): \(result.stderr)")
        }
    }

    @Test func statusIsADashboard() throws {
        let sandbox = try Self.twoUsers()
        try DatabaseQueue(path: sandbox.defaultDatabase.path).write { db in
            try db.execute(sql: "INSERT INTO job_runs (user_id, job_type, status, started_at) VALUES (1, 'poll', 'running', 0)")
        }
        let status = try Self.document(try sandbox.run(["admin", "status", "--json"]))
        // SPOTLOG_NOW is 2025-06-05T12:00Z: the sample's last plays are on 2025-06-04.
        #expect(status["plays_last_24h"] as? Int ?? 0 > 0)
        #expect(status["plays_last_7d"] as? Int ?? 0 >= status["plays_last_24h"] as? Int ?? 0)
        #expect((status["user_states"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["sample_listener", "other"])
        #expect(status["running_jobs"] as? Int == 1)
        #expect(try sandbox.run(["admin", "status"]).stdout.contains("1 running"))
    }

    @Test func jobPagesStayTheSameWhileJobsAreAdded() throws {
        let sandbox = try Self.twoUsers()
        let all = try Self.document(try sandbox.run(["admin", "imports", "--json", "-n", "100"]))
        let ids = try #require(all["items"] as? [[String: Any]]).compactMap { $0["id"] as? Int }
        #expect(ids.count == 7 && ids == ids.sorted(by: >), "newest first")
        let first = try Self.document(try sandbox.run(["admin", "imports", "--json", "-n", "3"]))
        let next = try #require(first["next_before"] as? Int)
        // Another import adds rows at the top; the next page is still the one after the first.
        #expect(try sandbox.run(["import", ImportEndToEndTests.sample, "--quiet"]).status == 0)
        let second = try Self.document(try sandbox.run(["admin", "imports", "--json", "-n", "3", "--before", String(next)]))
        #expect((second["items"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == Array(ids[3..<6]))
        let jobs = try Self.document(try sandbox.run(["admin", "jobs", "--json", "--type", "import", "--user", "other"]))
        #expect((jobs["items"] as? [[String: Any]])?.count == 1)
        #expect(jobs["next_before"] is NSNull)
    }
}

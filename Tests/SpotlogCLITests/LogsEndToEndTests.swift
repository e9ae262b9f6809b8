import Foundation
import GRDB
import SpotlogTestSupport
import Testing

/// `spotlog logs` through the built binary.
@Suite struct LogsEndToEndTests {
    static func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func collectorRecordsCarryTheUserAndTheJob() throws {
        let (sandbox, fake) = try CollectorEndToEndTests.world()
        defer { withExtendedLifetime(fake) {} }
        #expect(try sandbox.run(["poll", "--quiet"]).status == 0)
        let jobs = try AdminEndToEndTests.document(try sandbox.run(["admin", "jobs", "--json", "--type", "poll"]))
        let pollID = try #require((jobs["items"] as? [[String: Any]])?.first?["id"] as? Int)
        let records = try Self.lines(try sandbox.run(["logs", "--json"]).stdout)
        let polled = try #require(records.first { ($0["message"] as? String)?.contains("polled 50 plays, 50 new") == true })
        #expect(polled["component"] as? String == "collector" && polled["level"] as? String == "info")
        #expect(polled["user"] as? String == "sample_listener" && polled["job_run_id"] as? Int == pollID)
        let warning = try Self.lines(try sandbox.run(["logs", "--json", "--level", "warning", "--job", String(pollID)]).stdout)
        #expect(warning.count == 1 && (warning[0]["message"] as? String)?.contains("full page") == true)
        #expect(try sandbox.run(["logs", "--grep", "FULL PAGE"]).stdout.contains("full page"))
        #expect(try sandbox.run(["logs", "--user", "nobody"]).status == 66)
    }

    @Test func importsLogEachFileWithItsImportJobAndStderrCanBeJSON() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.run(["import", ImportEndToEndTests.sample, "--quiet"]).status == 0)
        let records = try Self.lines(try sandbox.run(["logs", "--json", "--grep", "records,"]).stdout)
        #expect(records.count == 6, "one per history file")
        #expect(records.allSatisfy { $0["import_job_id"] is Int && $0["job_run_id"] is Int && $0["user"] as? String == "sample_listener" })
        let json = try sandbox.run(["import", ImportEndToEndTests.sample, "--verbose", "--quiet"],
                                   environment: ["SPOTLOG_LOG_FORMAT": "json"])
        let stderr = try Self.lines(json.stderr)
        #expect(!stderr.isEmpty && stderr.allSatisfy { $0["level"] is String && $0["component"] as? String == "import" })
    }

    @Test func followSeesWhatAnotherProcessWrites() throws {
        let (sandbox, fake) = try CollectorEndToEndTests.world()
        defer { withExtendedLifetime(fake) {} }
        try sandbox.createDatabase()
        let output = Pipe()
        let follower = try sandbox.launch(["logs", "--follow", "--json"], output: output)
        // SIGKILL: a test that ran the daemon in this process left SIGTERM ignored, which children inherit.
        defer {
            kill(follower.processIdentifier, SIGKILL)
            follower.waitUntilExit()
        }
        #expect(try sandbox.run(["poll", "--quiet"]).status == 0)
        var seen = ""
        let deadline = Date().addingTimeInterval(20)
        while !seen.contains("polled 50 plays") && Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        #expect(seen.contains("polled 50 plays"), "\(seen)")
    }

    @Test func purgeRemovesRecordsOlderThanTheCutOffOnly() throws {
        let sandbox = try Sandbox()
        sandbox.extraEnvironment = ["SPOTLOG_NOW": "2025-06-30T00:00:00Z"]
        try sandbox.createDatabase()
        let now: Int64 = 1_751_241_600_000, day: Int64 = 86_400_000
        try DatabaseQueue(path: sandbox.defaultDatabase.path).write { db in
            for (age, message) in [(31 * day, "old"), (30 * day + 1, "just too old"), (30 * day, "exactly 30 days"), (day, "new")] {
                try db.execute(sql: "INSERT INTO logs (at, level, label, message) VALUES (?, 'info', 'test', ?)",
                               arguments: [now - age, message])
            }
        }
        let dry = try AdminEndToEndTests.document(try sandbox.run(["logs", "purge", "--older-than", "30d", "--dry-run", "--json"]))
        #expect(dry["removed"] as? Int == 2 && dry["dry_run"] as? Bool == true)
        #expect(try Self.lines(try sandbox.run(["logs", "--json"]).stdout).count == 4, "a dry run removes nothing")
        #expect(try sandbox.run(["logs", "purge", "--older-than", "30d"]).stdout == "removed 2 log records from before 2025-05-31T00:00:00Z\n")
        let left = try Self.lines(try sandbox.run(["logs", "--json"]).stdout).compactMap { $0["message"] as? String }
        #expect(left == ["exactly 30 days", "new"])
        #expect(try AdminEndToEndTests.document(try sandbox.run(["logs", "purge", "--json"]))["removed"] as? Int == 0)
    }
}

import Foundation
import GRDB
import Testing

/// `spotlog import` through the built binary.
@Suite struct ImportEndToEndTests {
    static let sample = Sandbox.packageRoot.appendingPathComponent("Fixtures/sample-export.zip").path

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func importsTheBundledSampleExport() throws {
        let sandbox = try Sandbox()
        let result = try sandbox.run(["import", Self.sample, "--json"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "no progress bar when standard error is not a terminal")
        let report = try json(result.stdout)
        #expect(report["schema_version"] as? Int == 1)
        #expect(report["user"] as? String == "sample_listener")
        #expect(report["dry_run"] as? Bool == false)
        #expect(report["records_read"] as? Int == 3944)
        #expect(report["inserted"] as? Int == 3024)
        #expect(report["duplicates"] as? Int == 10)
        #expect(report["merged"] as? Int == 894)
        #expect(report["skipped"] as? [String: Int] == ["unidentifiable": 16, "invalid_timestamp": 0, "invalid_ms_played": 0,
                                                           "implausible_ms_played": 0, "implausible_timestamp": 0])
        #expect(report["by_kind"] as? [String: Int] == ["music": 3664, "podcast": 221, "audiobook": 43])
        #expect(report["earliest"] as? String == "2024-01-01T02:58:51Z")
        #expect((report["ignored_files"] as? [String])?.count == 3)
        #expect((report["files"] as? [[String: Any]])?.count == 6)

        let again = try json(try sandbox.run(["import", Self.sample, "--json"]).stdout)
        #expect(again["inserted"] as? Int == 0)
        #expect(again["merged"] as? Int == 0)
        #expect(again["duplicates"] as? Int == 3928)

        let status = try json(try sandbox.run(["admin", "status", "--json"]).stdout)
        #expect(status["plays"] as? Int == 3024)
    }

    @Test func humanReportAndDryRun() throws {
        let sandbox = try Sandbox()
        let dry = try sandbox.run(["import", "--dry-run", Self.sample])
        #expect(dry.status == 0)
        #expect(dry.stdout.hasPrefix("would import 6 of 6 history files for user 'sample_listener'"))
        #expect(dry.stdout.contains("(dry run: nothing was written)"))
        #expect(dry.stdout.contains(" would insert   3024  new plays\n"))
        let status = try json(try sandbox.run(["admin", "status", "--json"]).stdout)
        #expect(status["plays"] as? Int == 0)
        #expect(status["users"] as? Int == 0)
        let real = try sandbox.run(["import", Self.sample])
        #expect(real.stdout.contains(" merged          894  same play from another source\n"))
    }

    @Test func verboseLogsEachFileOnStandardError() throws {
        let sandbox = try Sandbox()
        let verbose = try sandbox.run(["import", Self.sample, "--verbose", "--json"])
        #expect(verbose.status == 0)
        #expect(verbose.stderr.contains("spotlog: debug: import: found Spotify Account Data/StreamingHistory_music_0.json"))
        #expect(verbose.stderr.contains("StreamingHistory_music_0.json: 863 records, 40 new, 0 duplicates, 823 merged"))
        #expect(try JSONSerialization.jsonObject(with: Data(verbose.stdout.utf8)) is [String: Any], "stdout stays pure JSON")
        let quiet = try sandbox.run(["import", Self.sample, "--quiet"])
        #expect(quiet.stderr.isEmpty)
    }

    @Test func csvAndNdjsonListTheFiles() throws {
        let sandbox = try Sandbox()
        let csv = try sandbox.run(["import", Self.sample, "--format", "csv"])
        let lines = csv.stdout.split(separator: "\r\n")
        #expect(lines.first == "file,format,status,records,inserted,duplicates,merged,skipped")
        #expect(lines.count == 7)
        let ndjson = try sandbox.run(["import", Self.sample, "--format", "ndjson"])
        #expect(ndjson.stdout.split(separator: "\n").count == 6)
    }

    @Test func badInputExitCodes() throws {
        let sandbox = try Sandbox()
        let missing = try sandbox.run(["import", "/no/such/export.zip"])
        #expect(missing.status == 66)
        #expect(missing.stderr == "spotlog: error: /no/such/export.zip: no such file or directory\n")

        let text = sandbox.root.appendingPathComponent("notes.zip")
        try Data("PK\u{03}\u{04} this is not really a zip".utf8).write(to: text)
        let notZip = try sandbox.run(["import", text.path])
        #expect(notZip.status == 65)
        #expect(notZip.stderr == "spotlog: error: \(text.path): not a valid ZIP archive (truncated or corrupt)\n")
        #expect(!FileManager.default.fileExists(atPath: sandbox.defaultDatabase.path),
                "paths that hold no history are refused before a database is created")

        let folder = sandbox.root.appendingPathComponent("export")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("[{\"ts\": \"2024-01-01T00:00:00Z\", \"ms_played\": 1000, \"spotify_track_uri\": \"spotify:track:a\"}]".utf8)
            .write(to: folder.appendingPathComponent("Streaming_History_Audio_2024_0.json"))
        try Data("[{\"ts\": oops}]".utf8).write(to: folder.appendingPathComponent("Streaming_History_Audio_2024_1.json"))
        let broken = try sandbox.run(["import", folder.path, "--json"])
        #expect(broken.status == 65)
        #expect(broken.stderr == "spotlog: error: Streaming_History_Audio_2024_1.json: invalid JSON at byte 8: expected a value\n")
        let report = try json(broken.stdout)
        #expect(report["inserted"] as? Int == 1)
        #expect(report["failed_files"] as? Int == 1)

        let usage = try sandbox.run(["import"])
        #expect(usage.status == 64)
        #expect(usage.stderr == "spotlog: error: missing argument PATH for 'spotlog import'\n")
    }

    @Test func aKilledImportLeavesAConsistentDatabaseAndARerunCompletesIt() throws {
        let sandbox = try Sandbox()
        let export = try Self.largeExport(in: sandbox.root, files: 16, recordsPerFile: 6000)
        let reference = sandbox.root.appendingPathComponent("reference.db").path
        #expect(try sandbox.run(["import", export, "--db", reference, "--quiet"]).status == 0)

        let victim = sandbox.root.appendingPathComponent("victim.db").path
        let process = Process()
        process.executableURL = Sandbox.binary
        process.arguments = ["import", export, "--db", victim, "--quiet"]
        process.environment = sandbox.environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The files are committed together: kill the import while it writes them, as soon as it
        // does (the release binary writes these 96,000 plays in a fraction of a second).
        var writing = 0
        let deadline = Date().addingTimeInterval(60)
        while writing == 0 && process.isRunning && Date() < deadline {
            usleep(2_000)
            writing = (try? Self.count(victim, "SELECT count(*) FROM import_jobs WHERE status = 'processing'")) ?? 0
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the import was killed before it finished")
        let done = try Self.count(victim, "SELECT count(*) FROM import_jobs WHERE status = 'success'")
        #expect(done < 16)
        #expect(try Self.count(victim, "SELECT count(*) FROM plays")
                == Self.count(victim, "SELECT coalesce(sum(inserted), 0) FROM import_jobs WHERE status = 'success'"),
                "only whole files were committed")
        #expect(try Self.text(victim, "PRAGMA integrity_check") == "ok")

        #expect(try sandbox.run(["import", export, "--db", victim, "--quiet"]).status == 0)
        let fingerprint = "SELECT count(*) || ' ' || sum(ms_played) || ' ' || sum(played_at % 1000003) FROM plays"
        #expect(try Self.text(victim, fingerprint) == Self.text(reference, fingerprint))
        #expect(try Self.count(victim, "SELECT count(*) FROM import_jobs WHERE error = 'interrupted before it finished'") >= 1)
    }

    /// A folder export of `files` extended-history files with distinct plays.
    static func largeExport(in root: URL, files: Int, recordsPerFile: Int) throws -> String {
        let folder = root.appendingPathComponent("large-export")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var epoch = 1_600_000_000
        for file in 0..<files {
            var text = "[\n"
            for record in 0..<recordsPerFile {
                epoch += 97 + record % 13
                let date = Date(timeIntervalSince1970: TimeInterval(epoch))
                let ts = ISO8601DateFormatter().string(from: date)
                text += record == 0 ? "" : ",\n"
                text += """
                    {"ts": "\(ts)", "ms_played": \(1000 + record), "platform": "linux", \
                    "master_metadata_track_name": "Track \(record % 500)", "master_metadata_album_artist_name": "Artist \(record % 40)", \
                    "master_metadata_album_album_name": "Album", "spotify_track_uri": "spotify:track:t\(record % 500)", \
                    "shuffle": false, "skipped": null, "offline": false, "incognito_mode": false}
                    """
            }
            text += "\n]\n"
            try Data(text.utf8).write(to: folder.appendingPathComponent("Streaming_History_Audio_2020_\(file).json"))
        }
        return folder.path
    }

    static func count(_ path: String, _ sql: String) throws -> Int {
        try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    static func text(_ path: String, _ sql: String) throws -> String? {
        try DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: sql) }
    }
}

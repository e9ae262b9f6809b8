import Foundation
import GRDB
import SpotlogTestSupport
import Testing

/// `spotlog daemon` through the built binary, against the fake Spotify.
@Suite struct DaemonEndToEndTests {
    static func jobs(_ sandbox: Sandbox) throws -> [String] {
        try DatabaseQueue(path: sandbox.defaultDatabase.path).read { db in
            try String.fetchAll(db, sql: "SELECT job_type || ' ' || status FROM job_runs ORDER BY id")
        }
    }

    @Test func oneCycleImportsTheInboxThenSyncsPollsAndEnriches() throws {
        let (sandbox, fake) = try CollectorEndToEndTests.world()
        defer { withExtendedLifetime(fake) {} }
        let inbox = sandbox.root.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let rows: [[String: Any]] = CollectorEndToEndTests.trackIDs.enumerated().map { index, id in
            ["ts": String(format: "2024-04-01T10:%02d:00Z", index), "ms_played": 100_000, "master_metadata_track_name": "T\(index)",
             "master_metadata_album_artist_name": "A\(index)", "spotify_track_uri": "spotify:track:\(id)",
             "username": "sample_listener"]
        }
        try JSONSerialization.data(withJSONObject: rows).write(to: inbox.appendingPathComponent("Streaming_History_Audio_2024.json"))
        try Data("not an export".utf8).write(to: inbox.appendingPathComponent("notes.txt"))
        try Data("half a download".utf8).write(to: inbox.appendingPathComponent("my_spotify_data.zip.part"))
        // Files changed in the last minute may still be being written: these were written before.
        for name in ["Streaming_History_Audio_2024.json", "notes.txt", "my_spotify_data.zip.part"] {
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-120)],
                                                  ofItemAtPath: inbox.appendingPathComponent(name).path)
        }
        try Data("[]".utf8).write(to: inbox.appendingPathComponent("StreamingHistory_music_9.json"))

        let result = try sandbox.run(["daemon", "--once", "--inbox", inbox.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("spotlog: cycle: 1 files imported (1 failed), 1 synced, 1 polled"), "\(result.stderr)")
        for (folder, name) in [("done", "Streaming_History_Audio_2024.json"), ("failed", "notes.txt")] {
            let moved = inbox.appendingPathComponent(folder).appendingPathComponent(name)
            #expect(FileManager.default.fileExists(atPath: moved.path), "\(folder)/\(name)")
            #expect(FileManager.default.fileExists(atPath: moved.path + ".report.json"))
        }
        #expect(try Self.jobs(sandbox) == ["import success", "initial_sync success", "poll success", "enrich success"])
        let enriched = try DatabaseQueue(path: sandbox.defaultDatabase.path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM tracks WHERE duration_ms IS NOT NULL")
        }
        #expect(enriched == 10)
        #expect(FileManager.default.fileExists(atPath: inbox.appendingPathComponent("my_spotify_data.zip.part").path))
        #expect(FileManager.default.fileExists(atPath: inbox.appendingPathComponent("StreamingHistory_music_9.json").path),
                "a file written this minute waits")
        try FileManager.default.removeItem(at: inbox.appendingPathComponent("StreamingHistory_music_9.json"))
        // The next cycle has no initial sync to do and nothing new to import.
        let second = try sandbox.run(["daemon", "--once", "--inbox", inbox.path])
        #expect(second.stderr.contains("0 files imported (0 failed), 0 synced, 1 polled"), "\(second.stderr)")
    }

    @Test func pausedUsersAreSkipped() throws {
        let (sandbox, fake) = try CollectorEndToEndTests.world()
        defer { withExtendedLifetime(fake) {} }
        try DatabaseQueue(path: sandbox.defaultDatabase.path).write { db in try db.execute(sql: "UPDATE users SET status = 'paused'") }
        let result = try sandbox.run(["daemon", "--once", "--inbox", sandbox.root.appendingPathComponent("inbox").path])
        #expect(result.status == 0)
        #expect(result.stderr.contains("0 polled") && result.stderr.contains("1 users skipped"), "\(result.stderr)")
        #expect(try Self.jobs(sandbox).isEmpty)
        #expect(try CollectorEndToEndTests.apiRequests(fake).isEmpty)
    }

    @Test func sigtermDuringAPollRecordsItInterruptedAndExitsZero() throws {
        let (sandbox, fake) = try CollectorEndToEndTests.world()
        defer { withExtendedLifetime(fake) {} }
        // The initial sync is done: the cycle's first request is the poll, and it is slow.
        try DatabaseQueue(path: sandbox.defaultDatabase.path).write { db in
            try db.execute(sql: "INSERT INTO sync_state (user_id, initial_sync_status, updated_at) SELECT id, 'done', 0 FROM users")
        }
        try fake.control("faults", ["faults": [["path": "/v1/me/player/recently-played", "delay_ms": 2000, "times": 1]]])
        let daemon = try sandbox.launch(["daemon", "--inbox", sandbox.root.appendingPathComponent("inbox").path])
        // Wait until the daemon's first request is at the (slow) fake.
        let deadline = Date().addingTimeInterval(20)
        while try fake.requests().isEmpty && Date() < deadline { usleep(20_000) }
        #expect(try sandbox.run(["history", "summary"]).status == 0, "queries run beside the daemon")
        kill(daemon.processIdentifier, SIGTERM)
        let stopDeadline = Date().addingTimeInterval(15)
        while daemon.isRunning && Date() < stopDeadline { usleep(20_000) }
        #expect(!daemon.isRunning, "the daemon stops within seconds")
        if daemon.isRunning { daemon.terminate() }
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
        let jobs = try Self.jobs(sandbox)
        #expect(jobs == ["poll interrupted"], "\(jobs)")
        let plays = try DatabaseQueue(path: sandbox.defaultDatabase.path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM plays") }
        #expect(plays == 0, "the interrupted poll stored nothing")
        let consistent = try DatabaseQueue(path: sandbox.defaultDatabase.path).read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"]
        }
        #expect(consistent)
    }
}

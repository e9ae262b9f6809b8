import Foundation
import GRDB
import SpotlogTestSupport
import Testing

/// `spotlog poll` and `spotlog sync` through the built binary, against the fake Spotify.
@Suite struct CollectorEndToEndTests {
    /// A sandbox logged in to a fresh fake Spotify, whose timeline has 120 plays (the last 50
    /// reachable), the newest at 2024-05-01T18:36:00Z.
    static func world() throws -> (Sandbox, FakeSpotify) {
        let sandbox = try Sandbox(), fake = try FakeSpotify()
        sandbox.extraEnvironment = fake.environment
        let login = try AuthEndToEndTests.login(sandbox, fake)
        #expect(login.status == 0, "\(login.stderr)")
        try fake.control("requests/clear")
        return (sandbox, fake)
    }

    static func json(_ result: Sandbox.Result) throws -> [[String: Any]] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                                    "\(result.stdout) \(result.stderr)")
        return try #require(document["items"] as? [[String: Any]])
    }

    /// Requests to the Web API and the token endpoint since the last look.
    static func apiRequests(_ fake: FakeSpotify) throws -> [String] {
        let paths = try fake.requests().compactMap { $0["path"] as? String }
        try fake.control("requests/clear")
        return paths
    }

    static let newest: Int64 = 1_714_560_000_000 + 119 * 240_000
    static let trackIDs = ["track000", "track001", "track010", "track011", "track020", "track021", "track030", "track031",
                           "track040", "track041"].map { $0 + String(repeating: "y", count: 14) }

    /// Adds `count` plays after the current newest one, a minute apart.
    static func addPlays(_ fake: FakeSpotify, _ count: Int, after: Int64) throws {
        var plays = (0..<120).map { ["played_at": 1_714_560_000_000 + Int64($0) * 240_000, "track_id": trackIDs[$0 % 10]] as [String: Any] }
        plays += (1...count).map { ["played_at": after + Int64($0) * 60_000, "track_id": trackIDs[$0 % 10]] }
        try fake.control("timeline", ["plays": plays])
    }

    @Test func pollsStoreNewPlaysOnceAndNothingNewCostsOneRequest() throws {
        let (sandbox, fake) = try Self.world()
        let first = try Self.json(try sandbox.run(["poll", "--json"]))
        #expect(first.count == 1)
        #expect(first[0]["fetched"] as? Int == 50 && first[0]["inserted"] as? Int == 50)
        #expect(first[0]["gap_possible"] as? Bool == true, "a full page")
        #expect(try Self.apiRequests(fake) == ["/v1/me/player/recently-played"])

        let nothing = try sandbox.run(["poll", "--json"])
        #expect(nothing.status == 0)
        #expect(try Self.json(nothing)[0]["fetched"] as? Int == 0)
        #expect(try Self.apiRequests(fake) == ["/v1/me/player/recently-played"], "one request, no token refresh")

        try Self.addPlays(fake, 3, after: Self.newest)
        let three = try Self.json(try sandbox.run(["poll", "--json"]))
        #expect(three[0]["fetched"] as? Int == 3 && three[0]["inserted"] as? Int == 3)
        #expect(three[0]["gap_possible"] as? Bool == false)
        let status = try JSONSerialization.jsonObject(with: Data(try sandbox.run(["admin", "status", "--json"]).stdout.utf8))
        #expect((status as? [String: Any])?["plays"] as? Int == 53)
    }

    @Test func aFullPageOfNewPlaysWarnsOfAPossibleGap() throws {
        let (sandbox, fake) = try Self.world()
        #expect(try sandbox.run(["poll", "--quiet"]).status == 0)
        try Self.addPlays(fake, 60, after: Self.newest)
        let result = try sandbox.run(["poll", "--json"])
        #expect(result.status == 0)
        let report = try Self.json(result)[0]
        #expect(report["fetched"] as? Int == 50 && report["gap_possible"] as? Bool == true)
        #expect(result.stderr.contains("full page"), "\(result.stderr)")
        let coverage = try JSONSerialization.jsonObject(with: Data(try sandbox.run(["history", "coverage", "--json"]).stdout.utf8))
        #expect(((coverage as? [String: Any])?["possible_gaps"] as? [String])?.count == 2, "the first poll's page was full too")
    }

    @Test func syncStopsForEachReason() throws {
        let (sandbox, fake) = try Self.world()
        func sync(_ extra: [String]) throws -> [String: Any] {
            try Self.json(try sandbox.run(["sync", "--json"] + extra))[0]
        }
        let exhausted = try sync(["--max-days", "3650"])
        #expect(exhausted["stop_reason"] as? String == "exhausted" && exhausted["requests"] as? Int == 2)
        #expect(exhausted["inserted"] as? Int == 50)
        #expect(try sync([])["stop_reason"] as? String == "max_days", "the fake's plays are from 2024")
        #expect(try sync(["--max-days", "3650", "--max-requests", "1"])["stop_reason"] as? String == "max_requests")
        let page = ["items": [["played_at": "2024-05-01T12:00:00.000Z", "context": NSNull(),
                               "track": ["name": "Same", "uri": "spotify:track:same", "artists": []]]],
                    "next": NSNull(), "cursors": NSNull(), "limit": 50] as [String: Any]
        try fake.control("faults", ["faults": [["path": "/v1/me/player/recently-played", "status": 200, "body": page, "times": 2]]])
        #expect(try sync(["--max-days", "3650"])["stop_reason"] as? String == "no_progress")
        try fake.control("faults", ["faults": [["path": "/v1/me/player/recently-played", "status": 429, "retry_after": 3600]]])
        let limited = try sandbox.run(["sync", "--json", "--max-days", "3650"])
        #expect(limited.status == 75)
        #expect(try Self.json(limited)[0]["stop_reason"] as? String == "rate_limited")
    }

    @Test func aRateLimitedUserWaitsWhileAnotherIsPolled() throws {
        let (sandbox, fake) = try Self.world()
        var second = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/spotify-shapes/me.json"))) as! [String: Any]
        second["id"] = "second_listener"
        second["display_name"] = "Second"
        try fake.control("config", ["user": second])
        let login = try AuthEndToEndTests.login(sandbox, fake, ["--user", "second"])
        #expect(login.status == 0, "\(login.stderr)")
        try fake.control("faults", ["faults": [["path": "/v1/me/player/recently-played", "user": "sample_listener",
                                                "status": 429, "retry_after": 3600]]])
        let result = try sandbox.run(["poll", "--all", "--json"])
        #expect(result.status == 75)
        let reports = try Self.json(result)
        let limited = try #require(reports.first { $0["user"] as? String == "sample_listener" })
        let other = try #require(reports.first { $0["user"] as? String == "second" })
        #expect(limited["rate_limited_until"] is String && limited["inserted"] as? Int == 0)
        #expect(other["inserted"] as? Int == 50 && other["error"] is NSNull)
        // The daemon skips the rate-limited user until its retry time, and polls the other.
        let cycle = try sandbox.run(["daemon", "--once", "--inbox", sandbox.root.appendingPathComponent("inbox").path])
        #expect(cycle.stderr.contains("1 users skipped"), "\(cycle.stderr)")
    }

    @Test func spotifyDownIs69AndARevokedLoginIs77() throws {
        let (sandbox, fake) = try Self.world()
        let down = try sandbox.run(["poll"], environment: ["SPOTLOG_SPOTIFY_API_URL": "http://127.0.0.1:9"])
        #expect(down.status == 69, "\(down.stderr)")
        try fake.control("revoke")
        try fake.control("faults", ["faults": [["path": "/v1/me/player/recently-played", "status": 401]]])
        let revoked = try sandbox.run(["poll"])
        #expect(revoked.status == 77, "\(revoked.stderr)")
        #expect(revoked.stderr.contains("invalid_grant"))
        let status = try sandbox.run(["auth", "status", "--json"])
        #expect(status.stdout.contains("\"needs_reauth\""))
    }

    @Test func oneCollectorAtATimeAndAKilledOneLeavesNoLock() throws {
        let (sandbox, fake) = try Self.world()
        defer { withExtendedLifetime(fake) {} }
        let lockPath = sandbox.defaultDatabase.path + ".collector.lock"
        // Another collector: a process holding the lock, which says when it has it.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import fcntl, os, sys, time
            f = open(sys.argv[1], "a+"); fcntl.flock(f, fcntl.LOCK_EX); f.truncate(0); f.write(str(os.getpid())); f.flush()
            print("locked", flush=True); time.sleep(120)
            """, lockPath]
        let ready = Pipe()
        holder.standardOutput = ready
        try holder.run()
        _ = ready.fileHandleForReading.availableData
        let blocked = try sandbox.run(["poll"])
        #expect(blocked.status == 75)
        #expect(blocked.stderr.contains("another spotlog is collecting (pid \(holder.processIdentifier))"), "\(blocked.stderr)")
        #expect(try sandbox.run(["history", "summary"]).status == 0, "queries are not blocked")
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        let after = try sandbox.run(["poll", "--quiet"])
        #expect(after.status == 0, "the killed collector's lock is taken over: \(after.stderr)")
    }

    @Test func twoPollsAtOnceOneWaitsItsTurn() throws {
        let (sandbox, fake) = try Self.world()
        try fake.control("faults", ["faults": [["path": "/v1/me/player/recently-played", "delay_ms": 1500, "times": 1]]])
        let first = try sandbox.launch(["poll", "--quiet"])
        let deadline = Date().addingTimeInterval(20)
        while try fake.requests().isEmpty && Date() < deadline { usleep(20_000) }
        let second = try sandbox.run(["poll"])
        first.waitUntilExit()
        #expect(second.status == 75)
        #expect(second.stderr == "spotlog: error: another spotlog is collecting (pid \(first.processIdentifier))\n")
        #expect(first.terminationStatus == 0)
    }

    /// Extended rows for the plays a poll stored: `ts` 2 s before the API's `played_at`.
    static func exportOfPolledPlays(_ sandbox: Sandbox) throws -> String {
        let plays = try DatabaseQueue(path: sandbox.defaultDatabase.path).read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.played_at, t.uri, t.name AS track, a.name AS artist FROM plays p JOIN tracks t ON t.id = p.item_id
                JOIN track_artists ta ON ta.track_id = t.id AND ta.position = 0 JOIN artists a ON a.id = ta.artist_id
                """)
        }
        #expect(plays.count == 50)
        let rows: [[String: Any]] = plays.map { play in
            let ts = ((play["played_at"] as Int64) - 2_000) / 1000
            return ["ts": ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(ts))),
                    "ms_played": 123_456, "master_metadata_track_name": play["track"] as String,
                    "master_metadata_album_artist_name": play["artist"] as String,
                    "master_metadata_album_album_name": NSNull(), "spotify_track_uri": play["uri"] as String,
                    "platform": "linux"]
        }
        let path = sandbox.root.appendingPathComponent("Streaming_History_Audio_2024.json").path
        try JSONSerialization.data(withJSONObject: rows).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func pollAndImportOfTheSamePlaysStoreThemOnceInEitherOrder() throws {
        let (first, firstFake) = try Self.world()
        defer { withExtendedLifetime(firstFake) {} }
        let poll = try first.run(["poll", "--quiet"])
        #expect(poll.status == 0, "\(poll.stderr)")
        let export = try Self.exportOfPolledPlays(first)
        let imported = try JSONSerialization.jsonObject(with: Data(try first.run(["import", export, "--json"]).stdout.utf8))
        #expect((imported as? [String: Any])?["merged"] as? Int == 50)

        let (second, secondFake) = try Self.world()
        defer { withExtendedLifetime(secondFake) {} }
        #expect(try second.run(["import", export, "--quiet", "--user", "sample_listener"]).status == 0)
        // A poll asks only for plays after the newest stored one; a sync asks for all 50 again.
        let polled = try Self.json(try second.run(["poll", "--json", "--user", "sample_listener"]))
        #expect(polled[0]["inserted"] as? Int == 0 && polled[0]["duplicates"] as? Int == 1)
        let synced = try Self.json(try second.run(["sync", "--json", "--max-days", "3650", "--user", "sample_listener"]))
        #expect(synced[0]["inserted"] as? Int == 0 && synced[0]["duplicates"] as? Int == 50)
        for sandbox in [first, second] {
            let coverage = try JSONSerialization.jsonObject(with: Data(
                try sandbox.run(["history", "coverage", "--json"]).stdout.utf8)) as? [String: Any]
            let sources = coverage?["plays_by_source"] as? [String: Int]
            #expect(sources?["extended"] == 50 && (sources?["api"] ?? 0) == 0, "\(String(describing: coverage))")
        }
    }
}

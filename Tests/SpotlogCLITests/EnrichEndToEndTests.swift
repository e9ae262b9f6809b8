import Foundation
import GRDB
import SpotlogTestSupport
import Testing

/// `spotlog enrich` through the built binary, against the fake Spotify.
@Suite struct EnrichEndToEndTests {
    /// A logged-in sandbox whose export played the fake's ten tracks and one it does not know.
    static func world() throws -> (Sandbox, FakeSpotify) {
        let (sandbox, fake) = try CollectorEndToEndTests.world()
        let ids = CollectorEndToEndTests.trackIDs + ["unknownzzzzzzzzzzzzzzz"]
        let rows: [[String: Any]] = ids.enumerated().map { index, id in
            ["ts": String(format: "2024-04-01T10:%02d:00Z", index), "ms_played": 100_000, "master_metadata_track_name": "T\(index)",
             "master_metadata_album_artist_name": "A\(index)", "master_metadata_album_album_name": "Album \(index)",
             "spotify_track_uri": "spotify:track:\(id)"]
        }
        let path = sandbox.root.appendingPathComponent("Streaming_History_Audio_2024.json").path
        try JSONSerialization.data(withJSONObject: rows).write(to: URL(fileURLWithPath: path))
        #expect(try sandbox.run(["import", path, "--quiet", "--user", "sample_listener"]).status == 0)
        try fake.control("requests/clear")
        return (sandbox, fake)
    }

    static func enrich(_ sandbox: Sandbox, _ budget: Int) throws -> [String: Any] {
        let result = try sandbox.run(["enrich", "--json", "--budget", String(budget)])
        #expect(result.status == 0, "\(result.stderr)")
        return try CollectorEndToEndTests.json(result)[0]
    }

    static func durations(_ sandbox: Sandbox) throws -> Int {
        try DatabaseQueue(path: sandbox.defaultDatabase.path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM tracks WHERE duration_ms IS NOT NULL") ?? 0
        }
    }

    @Test func batchesFillInDetailsAndUnknownTracksAreNotAskedAgain() throws {
        let (sandbox, fake) = try Self.world()
        let report = try Self.enrich(sandbox, 5)
        // A first batch of 4 (a refused one would leave a request for each), then the other 7,
        // then the five artists in one batch.
        #expect(report["requests"] as? Int == 3 && report["enriched"] as? Int == 10 && report["unknown"] as? Int == 1)
        #expect(report["artists"] as? Int == 5)
        let genres = try DatabaseQueue(path: sandbox.defaultDatabase.path).read { db in
            try String.fetchAll(db, sql: "SELECT genres FROM artists WHERE looked_up_at IS NOT NULL")
        }
        #expect(genres.count == 5 && genres.allSatisfy { $0.contains("art pop") })
        #expect(report["remaining"] as? Int == 0)
        #expect(try Self.durations(sandbox) == 10)
        let artist = try DatabaseQueue(path: sandbox.defaultDatabase.path).read { db in
            try String.fetchOne(db, sql: """
                SELECT a.uri FROM tracks t JOIN track_artists ta ON ta.track_id = t.id AND ta.position = 0
                JOIN artists a ON a.id = ta.artist_id WHERE t.uri = ?
                """, arguments: ["spotify:track:" + CollectorEndToEndTests.trackIDs[0]])
        }
        #expect(artist?.hasPrefix("spotify:artist:") == true, "the export's placeholder took the real URI")
        _ = try CollectorEndToEndTests.apiRequests(fake)
        #expect(try Self.enrich(sandbox, 5)["requests"] as? Int == 0, "nothing left to ask")
    }

    @Test func oneRequestPerTrackWhenBatchesAreRefusedWithinTheBudget() throws {
        let (sandbox, fake) = try Self.world()
        try fake.control("config", ["batch_endpoints_gone": true])
        let first = try Self.enrich(sandbox, 4)
        #expect(first["requests"] as? Int == 4, "one refused batch, then one request per track")
        #expect(first["enriched"] as? Int == 3 && first["remaining"] as? Int == 8)
        let second = try Self.enrich(sandbox, 100)
        #expect(second["enriched"] as? Int == 7 && second["unknown"] as? Int == 1 && second["remaining"] as? Int == 0)
        #expect(second["artists"] as? Int == 5 && second["requests"] as? Int == 9 + 5, "one request per artist too")
        #expect(try Self.durations(sandbox) == 10)
    }
}

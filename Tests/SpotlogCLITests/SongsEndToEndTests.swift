import Foundation
import Testing

/// One song, one count, through the binary: versions of a song, plays ending in the same
/// second, and artist aliases (merge, answer, unmerge, the same answer as before).
@Suite struct SongsEndToEndTests {
    static func row(_ time: String, _ artist: String, _ track: String, uri: String, ms: Int = 200_000) -> [String: Any] {
        [
            "ts": time, "username": "listener", "platform": "linux", "ms_played": ms, "conn_country": "GB",
            "master_metadata_track_name": track, "master_metadata_album_artist_name": artist,
            "master_metadata_album_album_name": "Album", "spotify_track_uri": uri, "episode_name": NSNull(),
            "episode_show_name": NSNull(), "spotify_episode_uri": NSNull(), "reason_start": "clickrow",
            "reason_end": "trackdone", "shuffle": false, "skipped": false, "offline": false, "incognito_mode": false,
        ]
    }

    static var rows: [[String: Any]] { [
        row("2024-05-01T10:00:00Z", "Duran Duran", "Rio", uri: "spotify:track:rio"),
        row("2024-05-01T10:05:00Z", "Duran Duran", "Rio - 2001 Remaster", uri: "spotify:track:rio2001"),
        row("2024-05-01T10:10:00Z", "Duran Duran", "Rio - 2009 Remaster", uri: "spotify:track:rio2009"),
        row("2024-05-01T10:15:00Z", "Duran Duran", "Rio - Live", uri: "spotify:track:riolive"),
        row("2024-05-02T10:00:00Z", "Van Halen", "You Really Got Me", uri: "spotify:track:yrgm"),
        row("2024-05-02T10:05:00Z", "Van Halen", "You Really Got Me - 2015 Remaster", uri: "spotify:track:yrgm2015"),
        row("2024-05-03T10:00:00Z", "Selena Gomez & The Scene", "Love You Like A Love Song", uri: "spotify:track:lylals"),
        row("2024-05-04T10:00:00Z", "Selena Gomez & The Scene", "Naturally", uri: "spotify:track:naturally"),
        row("2024-05-05T10:00:00Z", "Selena Gomez", "Lose You To Love Me", uri: "spotify:track:lyltlm"),
        row("2024-05-06T10:00:00Z", "AC/DC", "Back In Black", uri: "spotify:track:bib"),
        row("2024-05-06T10:05:00Z", "Earth, Wind & Fire", "September", uri: "spotify:track:sept"),
        // Same track, same second: equal lengths are one play, different lengths two.
        row("2024-05-07T10:00:00Z", "AC/DC", "Thunderstruck", uri: "spotify:track:thunder", ms: 84_720),
        row("2024-05-07T10:00:00Z", "AC/DC", "Thunderstruck", uri: "spotify:track:thunder", ms: 154_012),
        row("2024-05-07T10:00:00Z", "AC/DC", "Thunderstruck", uri: "spotify:track:thunder", ms: 84_720),
    ] }

    static func sandbox() throws -> (Sandbox, String) {
        let sandbox = try Sandbox()
        sandbox.extraEnvironment = ["SPOTLOG_NOW": "2024-06-01T00:00:00Z"]
        let file = sandbox.root.appendingPathComponent("Streaming_History_Audio_2024.json")
        try JSONSerialization.data(withJSONObject: rows).write(to: file)
        return (sandbox, file.path)
    }

    static func json(_ result: Sandbox.Result) throws -> [String: Any] {
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    static func names(_ document: [String: Any]) -> [String] {
        (document["items"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? "") \($0["plays"] ?? "")" }
    }

    @Test func remastersAreOneSongLiveIsAnotherAndVersionsKeepsThemApart() throws {
        let (sandbox, file) = try Self.sandbox()
        #expect(try sandbox.run(["import", file, "--quiet"]).status == 0)
        let songs = Self.names(try Self.json(try sandbox.run(["history", "top-tracks", "-n", "4", "--json"])))
        #expect(songs == ["Rio 3", "You Really Got Me 2", "Thunderstruck 2", "Back In Black 1"])
        let tracks = Self.names(try Self.json(try sandbox.run(["history", "top-tracks", "--versions", "-n", "100", "--json"])))
        #expect(tracks.count == 12)
        #expect(tracks.contains("Rio - 2001 Remaster 1") && tracks.contains("Rio - Live 1"))
        let repeats = try Self.json(try sandbox.run(["history", "repeat-rate", "--json"]))
        #expect(repeats["distinct_tracks"] as? Int == 9)
    }

    @Test func playsEndingInTheSameSecondCountOnceOnlyWhenIdentical() throws {
        let (sandbox, file) = try Self.sandbox()
        let first = try Self.json(try sandbox.run(["import", file, "--json"]))
        #expect(first["inserted"] as? Int == 13)
        #expect(first["duplicates"] as? Int == 1)
        let again = try Self.json(try sandbox.run(["import", file, "--json"]))
        #expect(again["inserted"] as? Int == 0)
        #expect(again["duplicates"] as? Int == 14)
        let recent = try Self.json(try sandbox.run(["history", "search", "thunderstruck", "--json"]))
        let lengths = (recent["items"] as? [[String: Any]] ?? []).compactMap { $0["ms_played"] as? Int }.sorted()
        #expect(lengths == [84_720, 154_012])
    }

    @Test func mergedArtistsCountAsOneAndUnmergeRestoresTheAnswers() throws {
        let (sandbox, file) = try Self.sandbox()
        #expect(try sandbox.run(["import", file, "--quiet"]).status == 0)
        let answers = [["history", "top-artists", "-n", "100", "--json"], ["history", "summary", "--json"],
                       ["history", "discoveries", "-n", "100", "--json"], ["history", "top-tracks", "-n", "100", "--json"],
                       ["mcp-call", "history.top_artists", "limit=100"]]
        let before = try answers.map { try sandbox.run($0).stdout }
        let artists = Self.names(try Self.json(try sandbox.run(answers[0])))
        #expect(artists.contains("AC/DC 3") && artists.contains("Earth, Wind & Fire 1"), "names are never split")

        let merged = try sandbox.run(["admin", "artists", "merge", "selena gomez & the scene", "--into", "Selena Gómez"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == "'Selena Gomez & The Scene' now counts as 'Selena Gomez'\n")
        let after = Self.names(try Self.json(try sandbox.run(answers[0])))
        #expect(after.contains("Selena Gomez 3") && !after.contains { $0.hasPrefix("Selena Gomez & The Scene") })
        let viaTool = try Self.json(try sandbox.run(answers[4]))
        #expect(Self.names(viaTool) == after)
        let streak = try Self.json(try sandbox.run(["history", "streaks", "--artist", "Selena Gomez", "--json"]))
        #expect(streak["active_days"] as? Int == 3)
        let listed = try Self.json(try sandbox.run(["admin", "artists", "aliases", "--json"]))
        #expect((listed["items"] as? [[String: Any]])?.first?["artist"] as? String == "Selena Gomez")

        for (arguments, status, message) in [
            (["merge", "Selena Gomez", "--into", "selena gomez"], 64, "'Selena Gomez' cannot be merged into itself"),
            (["merge", "AC/DC", "--into", "Selena Gomez & The Scene"], 64,
             "'Selena Gomez & The Scene' is itself merged into 'Selena Gomez'; merge into 'Selena Gomez' instead"),
            (["merge", "Selena Gomez", "--into", "AC/DC"], 64, "'Selena Gomez & The Scene' is merged into 'Selena Gomez'; unmerge it first"),
            (["merge", "AC/D", "--into", "Selena Gomez"], 66, "no artist named 'AC/D' in your history; did you mean 'AC/DC'?"),
            (["unmerge", "AC/DC"], 66, "'AC/DC' is not merged into another artist"),
            (["merge", "AC/DC"], 64, "--into ARTIST is required"),
        ] {
            let result = try sandbox.run(["admin", "artists"] + arguments)
            #expect(result.status == Int32(status), "\(arguments)")
            #expect(result.stderr == "spotlog: error: \(message)\n")
        }

        #expect(try sandbox.run(["admin", "artists", "unmerge", "Selena Gomez & The Scene"]).status == 0)
        #expect(try answers.map { try sandbox.run($0).stdout } == before)
    }
}

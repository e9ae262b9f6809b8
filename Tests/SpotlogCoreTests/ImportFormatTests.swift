import Foundation
import GRDB
import Testing
@testable import SpotlogCore

/// Every history format an export can contain, read into plays with the right fields.
@Suite struct ImportFormatTests {
    @Test func detectsFormatsByFileNameInAnyFolder() {
        let cases: [(String, HistoryFormat?)] = [
            ("MyData/endsong_0.json", .extendedEndsong), ("endsong.json", .extendedEndsong),
            ("Spotify Extended Streaming History/Streaming_History_Audio_2019-2021_3.json", .extendedAudio),
            ("x/Streaming_History_Audio_2024.json", .extendedAudio),
            ("Streaming_History_Video_2020-2025.json", .extendedVideo),
            ("Spotify Account Data/StreamingHistory_music_0.json", .accountMusic),
            ("StreamingHistory_podcast_12.json", .accountPodcast), ("StreamingHistory_audiobook_0.json", .accountAudiobook),
            ("MyData/StreamingHistory0.json", .accountLegacy), ("Userdata.json", nil), ("endsong_x.json", nil),
            ("ReadMeFirst_ExtendedStreamingHistory.pdf", nil), ("StreamingHistory.json", nil),
        ]
        for (path, format) in cases { #expect(HistoryFormat.detect(path: path) == format, "\(path)") }
    }

    @Test func oldEndsongFilesCountOfflineTimestampsInMilliseconds() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let row = Records.track("2016-05-01T12:00:00Z", extra: ["offline_timestamp": 1_462_103_000_123, "offline": true,
                                                                "shuffle": true, "skipped": NSNull(), "incognito_mode": true])
        let folder = try fixture.directory(["MyData/endsong_0.json": Records.json([row])])
        let report = try harness.run([folder])
        #expect(report.files.map(\.format) == [.extendedEndsong])
        let play = try #require(try harness.rows("SELECT * FROM play_details").first)
        #expect(play["played_at"] as Int64 == 1_462_104_000_000)
        #expect(play["offline_timestamp"] as Int64 == 1_462_103_000_123)
        #expect(play["offline"] as Int == 1)
        #expect(play["shuffle"] as Int == 1)
        #expect(play["skipped"] as Int? == nil)
        #expect(play["incognito"] as Int == 1)
        #expect(play["source"] as String == "extended")
        #expect(play["platform"] as String == "linux")
        #expect(play["country"] as String == "GB")
        #expect(play["reason_start"] as String == "clickrow")
        #expect(play["reason_end"] as String == "trackdone")
    }

    @Test func newAudioFilesCountOfflineTimestampsInSeconds() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let row = Records.track("2024-05-01T12:00:00Z", extra: ["offline_timestamp": 1_714_564_000])
        let folder = try fixture.directory(["Spotify Extended Streaming History/Streaming_History_Audio_2024.json": Records.json([row])])
        try harness.run([folder])
        #expect(try harness.count("SELECT offline_timestamp FROM plays") == 1_714_564_000_000)
    }

    @Test func storesEachCombinationOfPlatformCountryAndReasonsOnce() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let rows = [
            Records.track("2024-05-01T12:00:00Z"),
            Records.track("2024-05-01T12:05:00Z", extra: ["shuffle": true]),
            Records.track("2024-05-01T12:10:00Z", extra: ["platform": "ios"]),
            Records.track("2024-05-01T12:15:00Z", extra: ["platform": NSNull(), "conn_country": NSNull(),
                                                          "reason_start": "", "reason_end": NSNull()]),
        ]
        try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(rows)])])
        let contexts = try harness.rows("SELECT platform, country, reason_start, reason_end FROM play_contexts ORDER BY id")
        #expect(contexts.map { $0["platform"] as String } == ["linux", "ios"])
        #expect(contexts.allSatisfy { $0["country"] as String == "GB" && $0["reason_end"] as String == "trackdone" })
        let contextIDs = try harness.rows("SELECT context_id FROM plays ORDER BY played_at")
        #expect(contextIDs.map { $0["context_id"] as Int64? } == [1, 1, 2, nil])
        let plays = try harness.rows("SELECT platform, shuffle FROM play_details ORDER BY played_at")
        #expect(plays.map { $0["platform"] as String? } == ["linux", "linux", "ios", nil])
        #expect(plays.map { $0["shuffle"] as Int? } == [0, 1, 0, 0])
    }

    @Test func neverStoresIPAddressesOrUserAgents() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let row = Records.track("2024-05-01T12:00:00Z", extra: ["ip_addr": "203.0.113.9", "user_agent_decrypted": "SecretAgent/1.0"])
        try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": Records.json([row])])])
        let dump = try harness.database.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM play_details").map(\.description).joined()
                + (try Row.fetchAll(db, sql: "SELECT * FROM play_contexts").map(\.description).joined())
                + (try Row.fetchAll(db, sql: "SELECT * FROM tracks").map(\.description).joined())
        }
        #expect(!dump.contains("203.0.113.9"))
        #expect(!dump.contains("192.0.2.1"))
        #expect(!dump.contains("SecretAgent"))
    }

    @Test func podcastsAudiobooksAndVideoAreAllPlays() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        var episode = Records.track("2024-05-01T12:00:00Z", uri: nil, track: nil, artist: nil, album: nil, ms: 1_800_000)
        episode["episode_name"] = "Episode 1"
        episode["episode_show_name"] = "The Show"
        episode["spotify_episode_uri"] = "spotify:episode:e1"
        var chapter = Records.track("2024-05-01T13:00:00Z", uri: nil, track: nil, artist: nil, album: nil, ms: 600_000)
        chapter["audiobook_title"] = "The Book"
        chapter["audiobook_uri"] = "spotify:show:book"
        chapter["audiobook_chapter_uri"] = "spotify:episode:c1"
        chapter["audiobook_chapter_title"] = "Chapter 1"
        var video = episode
        video["ts"] = "2024-05-02T12:00:00Z"
        let folder = try fixture.directory([
            "Streaming_History_Audio_2024.json": Records.json([episode, chapter]),
            "Streaming_History_Video_2024.json": Records.json([video]),
        ])
        let report = try harness.run([folder])
        #expect(report.totals.byKind == [.podcast: 2, .audiobook: 1])
        #expect(try harness.plays() == [
            "1714564800000 podcast spotify:episode:e1 1800000 extended 0",
            "1714568400000 audiobook spotify:episode:c1 600000 extended 0",
            "1714651200000 podcast spotify:episode:e1 1800000 extended 0",
        ])
        #expect(try harness.count("SELECT count(*) FROM shows WHERE name = 'The Show'") == 1)
        #expect(try harness.count("SELECT count(*) FROM audiobooks WHERE title = 'The Book' AND uri = 'spotify:show:book'") == 1)
        #expect(try harness.count("SELECT count(*) FROM chapters WHERE title = 'Chapter 1'") == 1)
    }

    @Test func accountDataFilesOfEveryKind() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let folder = try fixture.directory([
            "Spotify Account Data/StreamingHistory_music_0.json": Records.json([Records.account("2024-05-01 12:00")]),
            "Spotify Account Data/StreamingHistory_podcast_0.json": Records.json([
                ["endTime": "2024-05-01 13:00", "podcastName": "The Show", "episodeName": "Episode 1", "msPlayed": 60_000],
            ]),
            "Spotify Account Data/StreamingHistory_audiobook_0.json": Records.json([
                ["endTime": "2024-05-01 14:00", "audiobookName": "The Book", "chapterName": "Chapter 1",
                 "authorName": "A. Writer", "msPlayed": 30_000],
            ]),
            "MyData/StreamingHistory0.json": Records.json([Records.account("2019-05-01 12:00", artist: "Old", track: "Tune")]),
        ])
        let report = try harness.run([folder])
        #expect(Set(report.files.map(\.format)) == [.accountMusic, .accountPodcast, .accountAudiobook, .accountLegacy])
        #expect(report.totals.inserted == 4)
        let stored = try harness.plays()
        #expect(stored.count == 4)
        #expect(stored.allSatisfy { $0.contains(" account ") && $0.contains(" local:") })
        #expect(stored[0].hasPrefix("1556712000000 music local:"))
        #expect(try harness.count("SELECT count(*) FROM audiobooks WHERE author = 'A. Writer'") == 1)
        #expect(try harness.count("SELECT count(*) FROM account_records") == 4)
    }

    @Test func nullsAndUnidentifiableRows() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let nothing = Records.track("2024-05-01T12:00:00Z", uri: nil, track: nil, artist: nil, album: nil, ms: 1200)
        var nullMs = Records.track("2024-05-01T12:05:00Z")
        nullMs["ms_played"] = NSNull()
        let uriOnly = Records.track("2024-05-01T12:10:00Z", uri: "spotify:track:lonely", track: nil, artist: nil, album: nil)
        let badTime = Records.track("2024-13-01T12:00:00Z")
        let negative = Records.track("2024-05-01T12:20:00Z", ms: -5)
        let folder = try fixture.directory(["Streaming_History_Audio_2024.json":
                                                Records.json([nothing, nullMs, uriOnly, badTime, negative])])
        let report = try harness.run([folder])
        #expect(report.totals.recordsRead == 5)
        #expect(report.totals.inserted == 2)
        #expect(report.totals.skipped == [.unidentifiable: 1, .invalidTimestamp: 1, .invalidMsPlayed: 1])
        #expect(try harness.count("SELECT ms_played FROM plays WHERE played_at = 1714565100000") == 0)
        #expect(try harness.count("SELECT count(*) FROM tracks WHERE uri = 'spotify:track:lonely' AND name = ''") == 1)
    }

    @Test func itemsWithoutURIsGetDeterministicLocalIDs() throws {
        #expect(IdentityKey.localURI(["Björk", "Jóga", "Homogenic"]) == "local:4aa62380a1c52311d5384268df68fdf1d83b67e2")
        // Decomposed characters, case and spacing do not change the identity.
        #expect(IdentityKey.localURI(["bjo\u{308}rk ", "JÓGA", "  Homogenic"]) == "local:4aa62380a1c52311d5384268df68fdf1d83b67e2")
        #expect(IdentityKey.localURI(["  AC/DC ", "Back  in Black", ""]) == "local:6ed14a43ffa54b2299f823daf790d82ddbcebc77")

        let fixture = try ExportFixture(), harness = try ImportHarness()
        let local = Records.track("2024-05-01T12:00:00Z", uri: nil, track: "Jóga", artist: "Björk", album: "Homogenic")
        try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": Records.json([local])])])
        #expect(try harness.plays() == ["1714564800000 music local:4aa62380a1c52311d5384268df68fdf1d83b67e2 200000 extended 0"])
        let artist = try #require(try harness.rows("SELECT name, name_key FROM artists").first)
        #expect(artist["name"] as String == "Björk")
        #expect(artist["name_key"] as String == "björk")
    }

    @Test func ignoredFilesAreListed() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let folder = try fixture.directory([
            "Streaming_History_Audio_2024.json": Records.json([Records.track("2024-05-01T12:00:00Z")]),
            "Userdata.json": "{\"username\": \"someone\"}", "YourLibrary.json": "{}", "ReadMe.pdf": "%PDF",
        ])
        let report = try harness.run([folder])
        #expect(Set(report.ignoredFiles) == ["Userdata.json", "YourLibrary.json", "ReadMe.pdf"])
        #expect(report.user == "someone")
    }
}

import Foundation
import GRDB
import Testing
@testable import SpotlogCore

/// One song, one count: remasters and tracks of one ISRC are one song in per-track answers,
/// other versions (live, acoustic, remix) are not, and `--versions` keeps every track apart.
@Suite struct SongIdentityTests {
    @Test(arguments: [
        ("duran duran|rio - 2001 remaster", "duran duran|rio"),
        ("duran duran|rio - 2009 remaster", "duran duran|rio"),
        ("van halen|you really got me - 2015 remaster", "van halen|you really got me"),
        ("a|song - remastered", "a|song"),
        ("a|song (remastered 2009)", "a|song"),
        ("a|song [2011 remaster]", "a|song"),
        ("a|song - single version", "a|song"),
        ("a|song - 2005 digital remaster", "a|song"),
        ("a|song - remastered 2011 version", "a|song"),
        ("a|song (remastered) - single version", "a|song"),
        ("a|song - live", "a|song - live"),
        ("a|song - acoustic", "a|song - acoustic"),
        ("a|song - remix", "a|song - remix"),
        ("a|song - radio edit", "a|song - radio edit"),
        ("a|song - instrumental", "a|song - instrumental"),
        ("a|song - remastered 2011 / live", "a|song - remastered 2011 / live"),
        ("a|song - live - 2011 remaster", "a|song - live"),
        ("a|(remastered)", "a|(remastered)"),
        ("ac/dc|back in black", "ac/dc|back in black"),
    ])
    func versionTagsAreDroppedAndOtherVersionsKept(matchKey: String, songKey: String) {
        #expect(SongKey.of(matchKey: matchKey) == songKey)
    }

    /// Rio three times under three titles and URIs, a live Rio, AC/DC and Earth, Wind & Fire.
    func harness() throws -> ImportHarness {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        func play(_ minute: Int, _ artist: String, _ track: String) -> [String: Any] {
            Records.track(String(format: "2024-05-01T%02d:%02d:00Z", minute / 60, minute % 60),
                          uri: "spotify:track:" + String(track.unicodeScalars.filter(CharacterSet.alphanumerics.contains)),
                          track: track, artist: artist)
        }
        let rows = [
            play(0, "Duran Duran", "Rio"), play(5, "Duran Duran", "Rio - 2001 Remaster"),
            play(10, "Duran Duran", "Rio - 2009 Remaster"), play(15, "Duran Duran", "Rio - Live"),
            play(20, "AC/DC", "Back In Black"), play(25, "AC/DC", "Back In Black"),
            play(30, "Earth, Wind & Fire", "September"),
        ]
        try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(rows)])])
        return harness
    }

    func top(_ harness: ImportHarness, _ dimension: RankingDimension, versions: Bool = false) throws -> [String] {
        var scope = HistoryScope(userID: 1, period: PeriodSpec.all.resolve(now: .now(), zone: TimeZone(identifier: "UTC")!))
        if versions { scope.trackGrouping = .versions }
        return try harness.database.reader.read { db in
            try Rankings.rank(dimension, by: .plays, scope: scope, limit: nil, in: db).entries.map { "\($0.name) \($0.plays)" }
        }
    }

    @Test func remastersAreOneSongUnlessVersionsAreKeptApart() throws {
        let harness = try harness()
        #expect(try top(harness, .tracks) == ["Rio 3", "Back In Black 2", "Rio - Live 1", "September 1"])
        #expect(try top(harness, .tracks, versions: true) == ["Back In Black 2", "Rio 1", "Rio - 2001 Remaster 1",
                                                                "Rio - 2009 Remaster 1", "Rio - Live 1", "September 1"])
        #expect(try top(harness, .artists) == ["Duran Duran 4", "AC/DC 2", "Earth, Wind & Fire 1"])
    }

    @Test func tracksOfOneISRCAreOneSong() throws {
        let harness = try harness()
        func play(_ uri: String, _ name: String, at time: String) -> LedgerPlay {
            LedgerPlay(kind: .music, item: .init(uri: uri, name: name, creators: [.init(name: "Duran Duran", uri: "spotify:artist:dd")],
                                                 durationMillis: 200_000, isrc: "GBAYE8200012"),
                       endedAt: EpochMillis(iso8601: time)!, precision: .millisecond, played: .known(200_000), source: .api)
        }
        _ = try PlayLedger(database: harness.database).record([
            play("spotify:track:RioSingleMix", "Rio (Single Mix)", at: "2024-06-01T10:00:00Z"),
            play("spotify:track:Rio", "Rio", at: "2024-06-01T11:00:00Z"),
        ], userID: 1)
        #expect(try top(harness, .tracks).first == "Rio 5")
        #expect(try top(harness, .tracks, versions: true).prefix(2) == ["Back In Black 2", "Rio 2"], "the two plays of spotify:track:Rio")
    }

    /// A track by Calvin Harris featuring Rihanna (the Web API's artist list): one play for each
    /// with `--credits all`, and still one for an artist both credits count as once merged.
    @Test func allCreditsCountEachCreditedArtistOnce() throws {
        let harness = try ImportHarness()
        let user = try UserDirectory(database: harness.database).create(name: "listener")
        let play = LedgerPlay(
            kind: .music, item: .init(uri: "spotify:track:wfl", name: "We Found Love",
                                      creators: [.init(name: "Rihanna", uri: "spotify:artist:ri"),
                                                 .init(name: "Calvin Harris", uri: "spotify:artist:ch")], durationMillis: 215_000),
            endedAt: EpochMillis(iso8601: "2024-06-01T10:00:00Z")!, precision: .millisecond, played: .known(215_000), source: .api)
        _ = try PlayLedger(database: harness.database).record([play], userID: try user.rowID)
        func artists(_ credits: HistoryScope.ArtistCredits) throws -> [String] {
            var scope = HistoryScope(userID: try user.rowID, period: PeriodSpec.all.resolve(now: .now(), zone: TimeZone(identifier: "UTC")!))
            scope.artistCredits = credits
            return try harness.database.reader.read { db in
                try Rankings.rank(.artists, by: .plays, scope: scope, limit: nil, in: db).entries.map { "\($0.name) \($0.plays)" }
            }
        }
        #expect(try artists(.primary) == ["Rihanna 1"])
        #expect(try artists(.all) == ["Calvin Harris 1", "Rihanna 1"])
        try ArtistAliases(database: harness.database).merge("Calvin Harris", into: "Rihanna")
        #expect(try artists(.all) == ["Rihanna 1"])
        try ArtistAliases(database: harness.database).unmerge("calvin harris")
        #expect(try artists(.all) == ["Calvin Harris 1", "Rihanna 1"])
    }

    @Test func aVersionEightDatabaseGetsSongKeys() throws {
        let fixture = try ExportFixture()
        let path = fixture.root.appendingPathComponent("v8.db").path
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v8_collector")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO tracks (id, uri, name, match_key, isrc) VALUES
                  (1, 'spotify:track:a', 'Rio', 'duran duran|rio', NULL),
                  (2, 'spotify:track:b', 'Rio - 2001 Remaster', 'duran duran|rio - 2001 remaster', NULL),
                  (3, 'spotify:track:c', 'Rio - Live', 'duran duran|rio - live', 'X1'),
                  (4, 'spotify:track:d', 'Rio (Live at Wembley)', 'duran duran|rio (live at wembley)', 'X1');
                """)
        }
        try queue.close()
        let database = try SpotlogDatabase.open(path: path)
        let keys = try database.reader.read { db in try String.fetchAll(db, sql: "SELECT song_key FROM tracks ORDER BY id") }
        #expect(keys == ["duran duran|rio", "duran duran|rio", "duran duran|rio - live", "duran duran|rio - live"])
    }
}

import Foundation
import GRDB
import Testing
@testable import SpotlogCore

/// The same listening from the Web API (a recorded recently-played page) and from the export,
/// in either order: every play is stored once, with the export's fields.
@Suite struct LedgerTwinTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/spotify-shapes")
    /// The fixture's "now": after its plays.
    static let now: EpochMillis = 1_714_600_000_000

    static func page() throws -> SpotifyRecentlyPlayed {
        try SpotifyJSON.decoder().decode(SpotifyRecentlyPlayed.self,
                                         from: Data(contentsOf: fixtures.appendingPathComponent("recently_played_page.json")))
    }

    static func apiPlays() throws -> [LedgerPlay] { try page().items.compactMap(LedgerPlay.init(recentlyPlayed:)) }

    /// Extended rows of the same plays: `ts` 0 to 3 s before `played_at`, at second precision.
    static func exportRows() throws -> [[String: Any]] {
        try apiPlays().enumerated().map { index, play in
            let ts = (play.endedAt - Int64(index % 4) * 1000).floorDivided(by: 1000) * 1000
            return Records.track(ts.iso8601, uri: play.item.uri, track: play.item.name,
                                 artist: play.item.creators.first?.name, album: play.item.albumName, ms: 150_000 + index)
        }
    }

    /// Account-data rows of the same plays: the minute of the export's `ts`, names only.
    static func accountRows() throws -> [[String: Any]] {
        try zip(apiPlays(), exportRows()).map { play, row in
            let ts = try #require(EpochMillis(iso8601: row["ts"] as! String))
            let minute = UTCFormat.iso8601(ts.floorDivided(by: 60_000) * 60_000)
            let endTime = String(minute.prefix(16)).replacingOccurrences(of: "T", with: " ")
            return Records.account(endTime, artist: play.item.creators.first!.name, track: play.item.name,
                                   ms: row["ms_played"] as! Int)
        }
    }

    final class World {
        let harness: ImportHarness
        let fixture: ExportFixture
        let ledger: PlayLedger
        let userID: Int64

        init() throws {
            harness = try ImportHarness()
            fixture = try ExportFixture()
            ledger = PlayLedger(database: harness.database)
            userID = try #require(try UserDirectory(database: harness.database).create(name: "listener").id)
        }

        func poll() throws -> FileCounts { try ledger.record(try LedgerTwinTests.apiPlays(), userID: userID, now: LedgerTwinTests.now) }

        func importExport(account: Bool = false) throws -> FileCounts {
            let name = account ? "StreamingHistory_music_0.json" : "Streaming_History_Audio_2024.json"
            let rows = account ? try LedgerTwinTests.accountRows() : try LedgerTwinTests.exportRows()
            let folder = try fixture.directory([name: Records.json(rows)], named: UUID().uuidString)
            return try harness.run([folder]).totals
        }

        func sources() throws -> [String] {
            try harness.database.reader.read { db in try String.fetchAll(db, sql: "SELECT source FROM plays ORDER BY played_at") }
        }
    }

    @Test(arguments: [true, false]) func apiAndExportAreOnePlayInEitherOrder(apiFirst: Bool) throws {
        let world = try World()
        if apiFirst {
            #expect(try world.poll().inserted == 5)
            let imported = try world.importExport()
            #expect(imported.merged == 5 && imported.inserted == 0)
        } else {
            #expect(try world.importExport().inserted == 5)
            let polled = try world.poll()
            #expect(polled.merged == 5 && polled.inserted == 0)
        }
        #expect(try world.sources() == Array(repeating: "extended", count: 5))
        let fields = try world.harness.rows("SELECT ms_played, ms_estimated, platform FROM play_details ORDER BY played_at")
        #expect(fields.map { $0["ms_played"] as Int64 } == (0..<5).reversed().map { 150_000 + Int64($0) }, "the page is newest first")
        #expect(fields.allSatisfy { $0["ms_estimated"] as Int64 == 0 && $0["platform"] as String == "linux" })
        // Polling again, or importing again, adds nothing.
        let again = try world.poll()
        #expect(again.inserted == 0 && again.merged == 0 && again.duplicates == 5)
        #expect(try world.importExport().inserted == 0)
        #expect(try world.harness.count() == 5)
        #expect(try world.harness.rollupsMatchARebuild())
        let scope = HistoryScope(userID: world.userID, period: PeriodSpec.all.resolve(now: Self.now, zone: TimeZone(identifier: "UTC")!), now: Self.now)
        let coverage = try world.harness.database.reader.read { db in try SummaryReports.coverage(scope, gapDays: 7, in: db) }
        #expect(coverage.playsBySource == [.extended: 5])
    }

    @Test(arguments: [true, false]) func apiAndAccountDataAreOnePlayInEitherOrder(apiFirst: Bool) throws {
        let world = try World()
        if apiFirst {
            #expect(try world.poll().inserted == 5)
            #expect(try world.importExport(account: true).merged == 5)
        } else {
            #expect(try world.importExport(account: true).inserted == 5)
            #expect(try world.poll().merged == 5)
        }
        #expect(try world.sources() == Array(repeating: "api", count: 5))
        // The account rows knew how long each play lasted: the API plays keep that, not the estimate.
        let kept = try world.harness.rows("SELECT ms_played, ms_estimated FROM play_details ORDER BY played_at")
        #expect(kept.map { $0["ms_played"] as Int64 } == (0..<5).reversed().map { 150_000 + Int64($0) })
        #expect(kept.allSatisfy { $0["ms_estimated"] as Int64 == 0 })
        #expect(try world.harness.rollupsMatchARebuild())
        #expect(try world.poll().duplicates == 5)
        #expect(try world.importExport(account: true).duplicates == 5)
        // The extended history arrives last: it replaces the API plays, account rows follow it.
        #expect(try world.importExport().merged == 5)
        #expect(try world.sources() == Array(repeating: "extended", count: 5))
        #expect(try world.harness.count("SELECT count(*) FROM account_records a JOIN plays p ON p.user_id = a.user_id "
                                        + "AND p.played_at = a.play_played_at AND p.item_id = a.play_item_id") == 5)
        #expect(try world.importExport(account: true).duplicates == 5)
        #expect(try world.poll().duplicates == 5)
        #expect(try world.harness.rollupsMatchARebuild())
    }

    @Test func anAPIPlayHoldsTheTrackDurationAsAnEstimateAndItsDetails() throws {
        let world = try World()
        #expect(try world.importExport(account: false).inserted == 5)  // the export names artists without URIs
        let placeholder = try world.harness.rows("SELECT id, uri FROM artists WHERE name = 'Beyoncé'")
        #expect((placeholder.first?["uri"] as String?)?.hasPrefix("local:") == true)
        #expect(try world.ledger.removePlays(userID: world.userID) == 5)
        #expect(try world.harness.count("SELECT count(*) FROM play_totals") == 0)
        #expect(try world.poll().inserted == 5)
        let halo = try world.harness.rows("""
            SELECT p.ms_played, p.ms_estimated, t.duration_ms, t.isrc, al.uri AS album, al.release_date
            FROM play_details p JOIN tracks t ON t.id = p.item_id LEFT JOIN albums al ON al.id = t.album_id
            WHERE t.name = 'Halo'
            """)
        #expect(halo.count == 1)
        #expect(halo.first?["ms_played"] as Int64? == 261_000 && halo.first?["ms_estimated"] as Int64? == 1)
        #expect(halo.first?["duration_ms"] as Int64? == 261_000 && halo.first?["isrc"] as String? == "USAAA0800005")
        #expect(halo.first?["album"] as String? == "spotify:album:23Y5wdyP5byMFktZf8AcWU")
        #expect(halo.first?["release_date"] as String? == "2008-11-14")
        let artists = try world.harness.rows("""
            SELECT a.id, a.name, a.uri FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
            JOIN tracks t ON t.id = ta.track_id WHERE t.name = 'Halo' ORDER BY ta.position
            """)
        #expect(artists.map { $0["name"] as String } == ["Beyoncé", "Guest Artist"])
        #expect(artists.map { $0["uri"] as String } == ["spotify:artist:6vWDO969PvNqNYHIOW5v0m",
                                                          "spotify:artist:3TVXtAsR1Inumwj472S9r4"])
        #expect(artists.first?["id"] as Int64? == placeholder.first?["id"] as Int64?, "the placeholder took the URI")
        #expect(try world.harness.count("SELECT count(*) FROM artists WHERE name = 'Beyoncé'") == 1)
        #expect(try world.harness.rollupsMatchARebuild())
    }

    /// An export play ending at 12:01:02 whose account twin (minute 12:01) and API twin (12:00:58,
    /// before that minute, so not the account row's twin) are both stored: it replaces both.
    @Test func anExportPlayReplacesBothItsTwins() throws {
        let world = try World()
        let account = try world.fixture.directory(["StreamingHistory_music_0.json": Records.json([
            Records.account("2024-05-01 12:01", artist: "Artist", track: "Song", ms: 100_000)])], named: "account")
        #expect(try world.harness.run([account]).totals.inserted == 1)
        let api = LedgerPlay(kind: .music, item: .init(uri: "spotify:track:abc", name: "Song", creators: [.init(name: "Artist")],
                                                       durationMillis: 200_000),
                             endedAt: EpochMillis(iso8601: "2024-05-01T12:00:58Z")!, precision: .millisecond,
                             played: .unknown, source: .api)
        #expect(try world.ledger.record([api], userID: world.userID, now: Self.now).inserted == 1,
                "before the account row's minute: not its twin")
        let extended = try world.fixture.directory(["Streaming_History_Audio_2024.json": Records.json([
            Records.track("2024-05-01T12:01:02Z", uri: "spotify:track:abc", track: "Song", artist: "Artist", ms: 100_000)])],
                                                   named: "extended")
        #expect(try world.harness.run([extended]).totals.merged == 1)
        #expect(try world.sources() == ["extended"])
        #expect(try world.harness.rollupsMatchARebuild())
        #expect(try world.poll().inserted == 5, "the fixture's own plays are other plays")
    }

    /// An API play that ended on a whole second and its export row, which has the very same end
    /// time and item: one play, the export's (the API row used to stay, and the export row be
    /// counted a duplicate); a re-import and a re-poll add nothing.
    @Test func anExportPlayEndingAtTheSameMillisecondAsAnAPIPlayReplacesIt() throws {
        let world = try World()
        let api = LedgerPlay(kind: .music, item: .init(uri: "spotify:track:abc", name: "Song", creators: [.init(name: "Artist")],
                                                       durationMillis: 200_000),
                             endedAt: EpochMillis(iso8601: "2024-05-01T12:00:58Z")!, precision: .millisecond,
                             played: .known(150_000), source: .api)
        #expect(try world.ledger.record([api], userID: world.userID, now: Self.now).inserted == 1)
        let extended = try world.fixture.directory(["Streaming_History_Audio_2024.json": Records.json([
            Records.track("2024-05-01T12:00:58Z", uri: "spotify:track:abc", track: "Song", artist: "Artist", ms: 150_000)])],
                                                   named: "extended")
        #expect(try world.harness.run([extended]).totals.merged == 1)
        #expect(try world.sources() == ["extended"])
        #expect(try world.harness.run([extended]).totals.duplicates == 1)
        #expect(try world.ledger.record([api], userID: world.userID, now: Self.now).duplicates == 1)
        #expect(try world.sources() == ["extended"])
        #expect(try world.harness.rollupsMatchARebuild())
    }

    @Test func implausiblePlaysFromTheAPIAreSkipped() throws {
        let world = try World()
        var plays = try Self.apiPlays()
        plays[0].endedAt = Self.now + 2 * 86_400_000
        let counts = try world.ledger.record(plays, userID: world.userID, now: Self.now)
        #expect(counts.inserted == 4 && counts.skipped == [.implausibleTimestamp: 1])
    }
}

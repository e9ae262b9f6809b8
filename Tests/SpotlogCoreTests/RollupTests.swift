import Foundation
import GRDB
import Testing
@testable import SpotlogCore

/// The rollups stay exactly in step with `plays` through imports, duplicates and merges.
@Suite struct RollupTests {
    @Test func monthIndexesRoundTrip() {
        #expect(Rollups.month(of: 0) == 1970 * 12)
        #expect(Rollups.month(of: 1_709_251_199_000) == 2024 * 12 + 1)  // 2024-02-29T23:59:59Z
        #expect(Rollups.start(ofMonth: 2024 * 12 + 2) == 1_709_251_200_000)  // 2024-03-01
        #expect(Rollups.month(of: -1) == 1969 * 12 + 11)
    }

    /// The entries of a blob, as (quarter, plays, milliseconds).
    static func entries(_ blob: [UInt8]) -> [[Int64]] {
        var entries: [[Int64]] = []
        blob.withUnsafeBytes { QuarterBlob.forEach($0) { entries.append([Int64($0), Int64($1), Int64($2)]) } }
        return entries
    }

    @Test func quarterBlobsKeepTheQuartersWithPlaysAndNeverCap() {
        var plays = [Int64](repeating: 0, count: 96), millis = [Int64](repeating: 0, count: 96)
        plays[0] = 2; millis[0] = 70_000; plays[95] = 1; millis[95] = 5_000_000_000
        var blob: [UInt8] = []
        QuarterBlob.append(plays: plays, millis: millis, to: &blob)
        // Quarter 0 fits a narrow entry; quarter 95's 5e9 ms does not fit a u32: a wide entry.
        #expect(blob == [0, 2, 0, 0, 0, 0x70, 0x11, 0x01, 0,
                         95 | 0x80, 1, 0, 0, 0, 0, 0, 0, 0, 0x00, 0xF2, 0x05, 0x2A, 0x01, 0, 0, 0])
        // Adding it to changes that remove plays: what a flush stores.
        plays = [Int64](repeating: 0, count: 96); millis = plays
        plays[0] = -2; millis[0] = -10_000; plays[40] = 1; millis[40] = 31_000
        blob.withUnsafeBytes { QuarterBlob.add($0, toPlays: &plays, millis: &millis) }
        var stored: [UInt8] = []
        QuarterBlob.append(plays: plays, millis: millis, to: &stored)
        #expect(Self.entries(stored) == [[0, 0, 60_000], [40, 1, 31_000], [95, 1, 5_000_000_000]])
        var nothing: [UInt8] = []
        QuarterBlob.append(plays: [Int64](repeating: 0, count: 96), millis: [Int64](repeating: 0, count: 96), to: &nothing)
        #expect(nothing.isEmpty)
    }

    @Test func incrementalRollupsEqualARebuildThroughMergesInBothOrders() throws {
        let fixture = try ExportFixture()
        var extended: [[String: Any]] = []
        var account: [[String: Any]] = []
        for index in 0..<120 {
            let minute = String(format: "%02d", index % 60), hour = String(format: "%02d", index / 60 + 10)
            let ms = index % 7 == 0 ? 12_000 : 40_000 + index  // some below the 30 s threshold
            let uri = "spotify:track:t\(index % 9)", name = "Song \(index % 9)"
            extended.append(Records.track("2024-05-01T\(hour):\(minute):2\(index % 10)Z", uri: uri, track: name, ms: ms))
            if index % 3 == 0 { extended.append(extended.last!) }  // verbatim duplicates
            if index % 2 == 0 { account.append(Records.account("2024-05-01 \(hour):\(minute)", track: name, ms: ms)) }
        }
        account.append(Records.account("2024-06-01 00:00", track: "Only Here", ms: 31_000))
        let extendedFolder = try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(extended)], named: "e")
        let accountFolder = try fixture.directory(["StreamingHistory_music_0.json": Records.json(account)], named: "a")

        let accountFirst = try ImportHarness()
        try accountFirst.run([accountFolder])
        #expect(try accountFirst.rollupsMatchARebuild())
        try accountFirst.run([extendedFolder])
        #expect(try accountFirst.rollupsMatchARebuild(), "after extended plays replaced account plays")

        let extendedFirst = try ImportHarness()
        try extendedFirst.run([extendedFolder, accountFolder])
        #expect(try extendedFirst.rollupsMatchARebuild())
        // Item ids depend on import order; the per-day rollups do not.
        #expect(try extendedFirst.rollups().filter { $0.hasPrefix("day") } == accountFirst.rollups().filter { $0.hasPrefix("day") })
        #expect(try extendedFirst.plays() == accountFirst.plays())
        #expect(try extendedFirst.count("SELECT sum(counted_plays) FROM play_days")
                == extendedFirst.count("SELECT count(*) FROM plays WHERE ms_played >= 30000"))
    }

    @Test func rollupsOfTheSampleExportMatchARebuild() throws {
        let harness = try ImportHarness()
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/sample-export.zip").path
        try harness.run([sample])
        #expect(try harness.rollupsMatchARebuild())
    }

    @Test func aFailedFileLeavesNoRollups() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let folder = try fixture.directory([
            "Streaming_History_Audio_2024_0.json": Records.json([Records.track("2024-05-01T12:00:00Z")]),
            "Streaming_History_Audio_2024_1.json": Records.json([Records.track("2024-05-02T12:00:00Z")]) + "garbage",
        ])
        try harness.run([folder])
        #expect(try harness.count("SELECT sum(plays) FROM play_days") == 1)
        #expect(try harness.rollupsMatchARebuild())
    }

    @Test func laterImportsAddToStoredDaysAndMonths() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let first = try fixture.directory(["Streaming_History_Audio_2024.json": Records.json([
            Records.track("2024-05-01T08:00:00Z", uri: "spotify:track:a"), Records.track("2024-05-01T09:00:00Z", uri: "spotify:track:a"),
        ])], named: "first")
        let second = try fixture.directory(["Streaming_History_Audio_2024.json": Records.json([
            Records.track("2024-05-01T08:10:00Z", uri: "spotify:track:a"), Records.track("2024-05-20T08:00:00Z", uri: "spotify:track:b"),
        ])], named: "second")
        try harness.run([first])
        try harness.run([second])
        #expect(try harness.count("SELECT plays FROM play_days WHERE day = \(1_714_521_600_000 / Rollups.millisPerDay)") == 3)
        #expect(try harness.count("""
            SELECT m.plays FROM play_months m JOIN tracks t ON t.id = m.item_id WHERE t.uri = 'spotify:track:a'
            """) == 3)
        var quarters: [[Int64]] = []
        for blob in try harness.rows("SELECT quarters FROM play_days ORDER BY day").map({ $0["quarters"] as Data }) {
            quarters.append(contentsOf: Self.entries(Array(blob)).map { [$0[0], $0[1]] })
        }
        #expect(quarters == [[32, 2], [36, 1], [32, 1]], "08:00 and 08:10 share a quarter-hour, 09:00 has its own")
        #expect(try harness.rollupsMatchARebuild())
    }

    /// Files committed together (the default) end exactly as files committed one by one, even
    /// with a malformed file among them and plays merged across them.
    @Test func committingFilesTogetherOrAloneGivesTheSameRows() throws {
        let fixture = try ExportFixture()
        let folder = try fixture.directory([
            "Streaming_History_Audio_2024_0.json": Records.json([
                Records.track("2024-05-01T12:00:10Z", uri: "spotify:track:a", track: "Song A"),
                Records.track("2024-05-01T12:05:00Z", uri: "spotify:track:b", track: "Song B"),
            ]),
            "Streaming_History_Audio_2024_1.json": Records.json([Records.track("2024-05-02T12:00:00Z")]) + "garbage",
            "Streaming_History_Audio_2024_2.json": Records.json([
                Records.track("2024-05-01T12:05:00Z", uri: "spotify:track:b", track: "Song B"),
                Records.track("2024-06-01T08:00:00Z", uri: "spotify:track:a", track: "Song A"),
                Records.track("2024-06-02T12:00:00Z"),  // also in the malformed file, whose rows are gone
            ]),
            "StreamingHistory_music_0.json": Records.json([
                Records.account("2024-05-01 12:00", track: "Song A"), Records.account("2024-07-01 09:00", track: "Song C"),
            ]),
        ])
        var alone = ImportLimits()
        alone.bytesPerCommit = 1
        let oneByOne = try ImportHarness(), together = try ImportHarness()
        let reports = [try oneByOne.run([folder], limits: alone), try together.run([folder])]
        for report in reports {
            #expect(report.files.map { $0.error != nil } == [false, true, false, false])
            #expect(report.totals.inserted == 5 && report.totals.merged == 1 && report.totals.duplicates == 1)
        }
        #expect(try together.plays() == oneByOne.plays())
        #expect(try together.rollups() == oneByOne.rollups())
        #expect(try together.rollupsMatchARebuild())
        #expect(try together.isConsistent())
        // Match keys, search text and album URIs are prepared on the parse threads or, for a
        // track first seen in the malformed file, by the writer: the same either way.
        let tracks = try together.rows("""
            SELECT t.name, a.name AS artist, al.name AS album, al.uri AS album_uri, t.search_text, t.match_key
            FROM tracks t
            JOIN track_artists ta ON ta.track_id = t.id JOIN artists a ON a.id = ta.artist_id
            JOIN albums al ON al.id = t.album_id
            """)
        #expect(tracks.count == 3)
        for track in tracks {
            let name: String = track["name"], artist: String = track["artist"], album: String = track["album"]
            #expect(track["search_text"] as String == IdentityKey.searchText([name, artist, album]))
            #expect(track["match_key"] as String == IdentityKey.matchKey(creator: artist, item: name))
            #expect(track["album_uri"] as String == IdentityKey.localURI([artist, album]))
        }
        let statuses = "SELECT group_concat(status) FROM (SELECT status FROM import_jobs ORDER BY id)"
        #expect(try together.rows(statuses).first?[0] as String? == "success,error,success,success")
    }
}

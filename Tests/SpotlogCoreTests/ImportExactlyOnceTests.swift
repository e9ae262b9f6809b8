import Foundation
import GRDB
import Testing
@testable import SpotlogCore

/// No play lost, none counted twice: re-imports, duplicates inside an export, overlapping sources.
@Suite struct ImportExactlyOnceTests {
    let extended = [
        Records.track("2024-05-01T12:00:30Z", uri: "spotify:track:a", track: "A", ms: 180_000),
        Records.track("2024-05-01T12:03:40Z", uri: "spotify:track:b", track: "B", ms: 200_000),
        Records.track("2024-05-01T12:07:10Z", uri: "spotify:track:a", track: "A", ms: 90_000),
    ]
    let account = [
        Records.account("2024-05-01 12:00", track: "A", ms: 180_000),
        Records.account("2024-05-01 12:03", track: "B", ms: 200_000),
        Records.account("2024-05-01 12:07", track: "A", ms: 90_000),
        Records.account("2024-05-02 09:00", track: "C", ms: 50_000),  // only in account data
    ]

    /// Two rows of one track ending in the same second: equal lengths are one play (a verbatim
    /// duplicate), different lengths two; a re-import, in either file order, adds nothing; account
    /// rows and a later bulk-written play do not disturb them.
    @Test func samesecondPlaysOfDifferentLengthsAreTwoPlays() throws {
        func row(_ ms: Int) -> [String: Any] { Records.track("2024-05-01T12:00:30Z", uri: "spotify:track:a", track: "A", ms: ms) }
        let rows = [row(84_720), row(154_012), row(84_720)]
            + (1...80).map { Records.track(String(format: "2024-05-02T%02d:%02d:00Z", $0 / 60, $0 % 60), uri: "spotify:track:b",
                                           track: "B", ms: 1000 * $0) }
        for order in [rows, Array(rows.reversed())] {
            let fixture = try ExportFixture(), harness = try ImportHarness()
            let first = try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(order)])])
            #expect(first.totals.inserted == 82)
            #expect(first.totals.duplicates == 1)
            #expect(try harness.count("SELECT count(*) FROM plays WHERE ms_played IN (84720, 154012)") == 2)
            #expect(try harness.count("SELECT sum(ms_played) FROM plays WHERE ms_played IN (84720, 154012)") == 238_732)
            let again = try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(rows)],
                                                               named: "again")])
            #expect(again.totals.inserted == 0 && again.totals.merged == 0)
            #expect(again.totals.duplicates == 83)
            let third = try harness.run([try fixture.directory([
                "Streaming_History_Audio_2024.json": Records.json([row(154_012), row(99_000)]),
            ], named: "third")])
            #expect(third.totals.inserted == 1, "a third length in the same second is a third play")
            #expect(third.totals.duplicates == 1)
            #expect(try harness.count() == 83)
            #expect(try harness.rollupsMatchARebuild())
        }
    }

    @Test func importingTheSameFileTwiceAddsNothing() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let folder = try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(extended),
                                            "StreamingHistory_music_0.json": Records.json(account)])
        let first = try harness.run([folder])
        let stored = try harness.plays()
        let second = try harness.run([folder])
        #expect(first.totals.inserted + first.totals.merged == 7)
        #expect(second.totals.inserted == 0)
        #expect(second.totals.merged == 0)
        #expect(second.totals.duplicates == 7)
        #expect(try harness.plays() == stored)
    }

    @Test func verbatimDuplicatesInsideAnExportAreStoredOnce() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let rows = extended + [extended[1]]
        let report = try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(rows)])])
        #expect(report.totals.inserted == 3)
        #expect(report.totals.duplicates == 1)
        // Same second and item, but a different ms_played: another play.
        var sameSecond = extended[0]
        sameSecond["ms_played"] = 1
        let again = try harness.run([try fixture.directory(["Streaming_History_Audio_2025.json": Records.json([sameSecond])],
                                                           named: "more")])
        #expect(again.totals.inserted == 1)
    }

    @Test func rowsRepeatedNextToEachOtherAreStoredOnce() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        // 3,000 plays a minute apart, enough for two batches of the parse threads.
        var rows = (0..<3000).map { index in
            Records.track(UTCFormat.iso8601(Int64(1_714_564_800 + 60 * index) * 1000), uri: "spotify:track:\(index % 7)")
        }
        rows.insert(rows[10], at: 11)  // a verbatim repeat
        var sameSecondOtherItem = rows[500]
        sameSecondOtherItem["spotify_track_uri"] = "spotify:track:other"
        rows.insert(sameSecondOtherItem, at: 501)  // same second, another track: a play of its own
        var sameItemOtherSecond = rows[600]
        sameItemOtherSecond["ts"] = UTCFormat.iso8601((1_714_564_800 + 60 * 598 + 1) * 1000)
        rows.insert(sameItemOtherSecond, at: 601)  // the same track at another second: a play of its own
        rows.insert(rows[2047], at: 2048)  // a repeat in the next batch (2,048 records each)
        let report = try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(rows)])])
        #expect(report.totals.recordsRead == 3004)
        #expect(report.totals.inserted == 3002)
        #expect(report.totals.duplicates == 2)
        #expect(try harness.count() == 3002)
        #expect(try harness.rollupsMatchARebuild())
    }

    @Test func playsAlreadyStoredOrQueuedAreNotWrittenAgainInBulk() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        /// Plays `range`, a minute apart, cycling through five tracks.
        func plays(_ range: Range<Int>) -> [[String: Any]] {
            range.map { Records.track(UTCFormat.iso8601(Int64(1_714_564_800 + 60 * $0) * 1000), uri: "spotify:track:\($0 % 5)") }
        }
        try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(plays(200..<400))],
                                               named: "first")])
        // A second export overlapping the stored plays at both ends; its second file goes back
        // over the first one's plays; and one play appears again later in its file, not next to
        // itself.
        var first = plays(100..<300)
        first.insert(first[10], at: 20)
        let report = try harness.run([try fixture.directory([
            "Streaming_History_Audio_2024_0.json": Records.json(first),
            "Streaming_History_Audio_2024_1.json": Records.json(plays(250..<500)),
        ], named: "second")])
        #expect(report.totals.inserted == 200, "plays 100-199 and 400-499 are new")
        #expect(report.totals.duplicates == 251)
        #expect(try harness.count() == 400)
        #expect(try harness.rollupsMatchARebuild())
    }

    @Test func aRepeatHasTheEndTimeKindItemAndLengthOfThePlayBeforeIt() {
        let detector = RepeatDetector()
        func repeats(_ kind: PlayKind, _ endedAt: Int64, _ uri: String, ms: Int64 = 100) -> Bool {
            Array(uri.utf8).withUnsafeBufferPointer { detector.repeatsPrevious(kind, endedAt: endedAt, msPlayed: ms, uri: $0) }
        }
        #expect(!repeats(.music, 1000, "spotify:track:a"))
        #expect(repeats(.music, 1000, "spotify:track:a"))
        #expect(!repeats(.music, 1000, "spotify:track:a", ms: 200))
        #expect(!repeats(.music, 2000, "spotify:track:a"))
        #expect(!repeats(.podcast, 2000, "spotify:track:a"))
        #expect(!repeats(.podcast, 2000, "spotify:track:ab"))
        #expect(repeats(.podcast, 2000, "spotify:track:ab"))
    }

    @Test func accountRowsIdenticalInEveryFieldAreOnePlay() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let rows = [Records.account("2024-05-01 12:00", ms: 1000), Records.account("2024-05-01 12:00", ms: 1000),
                    Records.account("2024-05-01 12:00", ms: 2000)]
        let report = try harness.run([try fixture.directory(["StreamingHistory_music_0.json": Records.json(rows)])])
        #expect(report.totals.inserted == 2, "a different msPlayed in the same minute is a second real play")
        #expect(report.totals.duplicates == 1)
    }

    @Test func accountRowsMergeIntoExtendedPlaysWhicheverComesFirst() throws {
        let fixture = try ExportFixture()
        let extendedFolder = try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(extended)], named: "e")
        let accountFolder = try fixture.directory(["StreamingHistory_music_0.json": Records.json(account)], named: "a")

        let extendedFirst = try ImportHarness()
        try extendedFirst.run([extendedFolder])
        let merged = try extendedFirst.run([accountFolder])
        #expect(merged.totals.merged == 3)
        #expect(merged.totals.inserted == 1)

        let accountFirst = try ImportHarness()
        try accountFirst.run([accountFolder])
        let replaced = try accountFirst.run([extendedFolder])
        #expect(replaced.totals.merged == 3)
        #expect(replaced.totals.inserted == 0)

        let together = try ImportHarness()
        let report = try together.run([accountFolder, extendedFolder])
        #expect(report.totals.merged == 3)

        let expected = try extendedFirst.plays()
        #expect(expected.count == 4)
        #expect(expected.filter { $0.contains(" extended ") }.count == 3, "the richer record wins")
        #expect(try accountFirst.plays() == expected)
        #expect(try together.plays() == expected)
        for harness in [extendedFirst, accountFirst, together] {
            #expect(try harness.isConsistent())
            #expect(try harness.count("SELECT count(*) FROM account_records") == 4)
            #expect(try harness.run([accountFolder, extendedFolder]).totals.inserted == 0, "and a re-import adds nothing")
        }
    }

    @Test func mergingIsOneToOneAndPrefersEqualMilliseconds() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let twoPlays = [Records.track("2024-05-01T12:00:10Z", uri: "spotify:track:a", track: "A", ms: 5_000),
                        Records.track("2024-05-01T12:00:50Z", uri: "spotify:track:a", track: "A", ms: 40_000)]
        try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(twoPlays)], named: "e")])
        let rows = [Records.account("2024-05-01 12:00", track: "A", ms: 40_000),
                    Records.account("2024-05-01 12:00", track: "A", ms: 5_000),
                    Records.account("2024-05-01 12:00", track: "A", ms: 7_000)]
        let report = try harness.run([try fixture.directory(["StreamingHistory_music_0.json": Records.json(rows)], named: "a")])
        #expect(report.totals.merged == 2)
        #expect(report.totals.inserted == 1, "a third play in the minute needs a third row")
        let pairs = try harness.rows("""
            SELECT a.ms_played AS account_ms, p.ms_played AS play_ms FROM account_records a
            JOIN plays p ON p.user_id = a.user_id AND p.played_at = a.play_played_at AND p.kind = a.kind
              AND p.item_id = a.play_item_id AND p.variant = a.play_variant
            ORDER BY a.ms_played
            """).map { ($0["account_ms"] as Int, $0["play_ms"] as Int) }
        #expect(pairs.map(\.0) == [5_000, 7_000, 40_000])
        #expect(pairs.map(\.1) == [5_000, 7_000, 40_000])
    }

    @Test func matchingIgnoresCaseAndSpacingButNotTheMinute() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(
            [Records.track("2024-05-01T12:00:10Z", uri: "spotify:track:a", track: "Hoppípolla", artist: "Sigur Rós")])],
                                               named: "e")])
        let rows = [Records.account("2024-05-01 12:00", artist: "sigur  rós", track: "HOPPÍPOLLA"),
                    Records.account("2024-05-01 12:01", artist: "Sigur Rós", track: "Hoppípolla")]
        let report = try harness.run([try fixture.directory(["StreamingHistory_music_0.json": Records.json(rows)], named: "a")])
        #expect(report.totals.merged == 1)
        #expect(report.totals.inserted == 1)
    }

    @Test func dryRunReportsEverythingAndWritesNothing() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let folder = try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(extended),
                                            "StreamingHistory_music_0.json": Records.json(account)])
        let dry = try harness.run([folder], dryRun: true)
        #expect(dry.dryRun)
        #expect(dry.totals.inserted == 4)
        #expect(dry.totals.merged == 3)
        for table in ["plays", "users", "tracks", "artists", "import_jobs", "job_runs", "account_records"] {
            #expect(try harness.count("SELECT count(*) FROM \(table)") == 0, "\(table) is untouched")
        }
        let real = try harness.run([folder])
        #expect(real.totals.inserted == dry.totals.inserted)
        #expect(real.totals.merged == dry.totals.merged)
    }

    @Test func theImportTurnsTheConnectionsChecksBackOn() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(extended)])])
        func setting(_ pragma: String) throws -> Int? {
            try harness.database.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA \(pragma)") }
        }
        #expect(try setting("foreign_keys") == 1)
        #expect(try setting("ignore_check_constraints") == 0)
        #expect(try setting("wal_autocheckpoint") == 1000)
    }

    @Test func importJobsRecordEachFile() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let folder = try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(extended),
                                            "StreamingHistory_music_0.json": Records.json(account)])
        try harness.run([folder])
        let jobs = try harness.rows("SELECT * FROM import_jobs ORDER BY id")
        #expect(jobs.map { $0["format"] as String } == ["extended_audio", "account_music"])
        #expect(jobs.map { $0["status"] as String } == ["success", "success"])
        #expect(jobs.map { $0["records_read"] as Int } == [3, 4])
        #expect(jobs.map { $0["inserted"] as Int } == [3, 1])
        #expect(jobs.map { $0["merged"] as Int } == [0, 3])
        #expect(jobs[0]["earliest"] as Int64 == 1_714_564_830_000)
        #expect(jobs[0]["path"] as String == folder)
        let run = try #require(try harness.rows("SELECT * FROM job_runs").first)
        #expect(run["job_type"] as String == "import")
        #expect(run["status"] as String == "success")
    }
}

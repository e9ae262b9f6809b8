import Foundation
import GRDB
import Testing
@testable import SpotlogCore

/// Values no real play has are skipped with a reason, and the sums the rollups keep never
/// overflow or cap.
@Suite struct ImplausiblePlayTests {
    /// 2024-06-01T00:00:00Z, "now" for these imports.
    static let now: EpochMillis = 1_717_200_000_000

    static func run(_ harness: ImportHarness, _ folder: String) throws -> ImportReport {
        var options = Importer.Options(paths: [folder])
        options.now = now
        return try Importer(database: harness.database).run(options)
    }

    @Test func absurdDurationsAndTimesAreSkippedWithAReason() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        var rows = (0..<12).map { Records.track(String(format: "2024-05-01T12:%02d:00Z", $0), ms: 999_999_999_999_999_999) }
        rows += [
            Records.track("2024-05-02T12:00:00Z", ms: 86_400_000),   // exactly 24 h: kept
            Records.track("2024-05-02T13:00:00Z", ms: 86_400_001),   // longer: skipped
            Records.track("0001-01-01T00:00:00Z"), Records.track("9999-12-31T23:59:59Z"),
            Records.track("2005-12-31T23:59:59Z"),                    // before Spotify: skipped
            Records.track("2006-01-01T00:00:00Z"),                    // kept
            Records.track("2024-06-02T00:00:00Z"),                    // a day after now: kept
            Records.track("2024-06-02T00:00:01Z"),                    // later: skipped
        ]
        let account = [Records.account("2024-05-03 10:00", ms: 90_000_000), Records.account("1999-01-01 10:00"),
                       Records.account("2024-05-03 11:00")]
        let folder = try fixture.directory([
            "Streaming_History_Audio_2024.json": Records.json(rows),
            "StreamingHistory_music_0.json": Records.json(account),
        ])
        let report = try Self.run(harness, folder)
        #expect(report.failedFiles.isEmpty)
        #expect(report.totals.skipped[.implausibleMsPlayed] == 14)
        #expect(report.totals.skipped[.implausibleTimestamp] == 5)
        #expect(report.totals.inserted == 4)
        #expect(try harness.count("SELECT max(ms_played) FROM plays") == 86_400_000)
        #expect(try harness.rollupsMatchARebuild())

        // Every stored sum is a whole number, and the summary reads them.
        #expect(try harness.count("SELECT count(*) FROM play_totals WHERE typeof(ms_played) <> 'integer'") == 0)
        #expect(try harness.count("SELECT count(*) FROM play_days WHERE typeof(counted_ms) <> 'integer'") == 0)
        let scope = HistoryScope(userID: 1, kinds: [.music], minPlayedMillis: Rollups.countedMillis,
                                 period: PeriodSpec.all.resolve(now: Self.now, zone: TimeZone(identifier: "UTC")!),
                                 now: Self.now)
        let summary = try harness.database.reader.read { db in try SummaryReports.summary(scope, in: db) }
        #expect(summary.plays == 4)
        #expect(summary.msPlayed == 86_400_000 + 3 * 200_000)

        // Re-importing skips the same records again and adds nothing.
        let again = try Self.run(harness, folder)
        #expect(again.totals.inserted == 0 && again.totals.skipped[.implausibleMsPlayed] == 14)
    }

    @Test func aQuarterHourHoldsMoreTimeThanAU32Counts() throws {
        // 60 plays of 24 h each ending in one quarter-hour: 5,184,000,000 ms, more than a u32 holds.
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let rows = (0..<60).map {
            Records.track(String(format: "2024-05-01T12:00:%02dZ", $0), uri: "spotify:track:t\($0)", ms: 86_400_000)
        }
        let folder = try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(rows)])
        #expect(try Self.run(harness, folder).totals.inserted == 60)
        #expect(try harness.count("SELECT counted_ms FROM play_days") == 5_184_000_000)
        let blob = try harness.database.reader.read { db in try Data.fetchOne(db, sql: "SELECT quarters FROM play_days") }
        #expect(RollupTests.entries(Array(try #require(blob))) == [[48, 60, 5_184_000_000]])
        #expect(try harness.rollupsMatchARebuild())
        let scope = HistoryScope(userID: 1, kinds: [.music], minPlayedMillis: Rollups.countedMillis,
                                 period: PeriodSpec.all.resolve(now: Self.now, zone: TimeZone(identifier: "Asia/Kolkata")!),
                                 now: Self.now)
        let cells = try harness.database.reader.read { db in try TimeReports.heatmap(scope, in: db) }
        #expect(cells.reduce(0) { $0 + $1.msPlayed } == 5_184_000_000)
    }
}

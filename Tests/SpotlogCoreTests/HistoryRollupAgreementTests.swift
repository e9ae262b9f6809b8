import Foundation
import GRDB
import Testing
@testable import SpotlogCore

/// The rollup paths (used with the default 30 s threshold) must give exactly what the raw plays
/// give. With no play lasting 29.999 s, a threshold of 29,999 ms selects the same plays but reads
/// `plays` directly, so the two answers can be compared for many periods and zones.
@Suite struct HistoryRollupAgreementTests {
    static let harness: ImportHarness = {
        let fixture = try! ExportFixture(), harness = try! ImportHarness()
        var rows: [[String: Any]] = []
        var seed: UInt64 = 42
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        var instant = EpochMillis(iso8601: "2023-10-20T00:00:00Z")!
        for _ in 0..<3000 {
            instant += Int64(next(7 * 3600) + 60) * 1000
            let track = next(40), ms = [5_000, 29_000, 30_000, 31_000, 200_000][next(5)]
            var row = Records.track(UTCFormat.iso8601(instant), uri: "spotify:track:t\(track)", track: "Track \(track)",
                                    artist: "Artist \(track % 7)", album: "Album \(track % 5)", ms: ms)
            if next(10) == 0 {
                row = Records.track(UTCFormat.iso8601(instant), uri: nil, track: nil, artist: nil, album: nil, ms: ms)
                row["episode_name"] = "Episode \(track % 3)"
                row["episode_show_name"] = "Show"
                row["spotify_episode_uri"] = "spotify:episode:e\(track % 3)"
            }
            rows.append(row)
        }
        try! harness.run([try! fixture.directory(["Streaming_History_Audio_2024.json": Records.json(rows)])])
        return harness
    }()

    static let periods: [PeriodSpec] = [
        .all, .year(2024), .month(year: 2024, month: 3), .month(year: 2024, month: 10), .days(45), .weeks(9), .months(5),
        .dates(from: LocalDate(iso: "2023-12-17"), to: LocalDate(iso: "2024-02-09")),
        .dates(from: LocalDate(iso: "2024-03-31"), to: LocalDate(iso: "2024-03-31")),
    ]
    static let zones = ["UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kolkata", "Asia/Kathmandu", "Pacific/Chatham"]

    func scopes(_ period: PeriodSpec, _ zone: String, kinds: [PlayKind]) -> (HistoryScope, HistoryScope) {
        let now = EpochMillis(iso8601: "2024-06-30T21:00:00Z")!
        let resolved = period.resolve(now: now, zone: TimeZone(identifier: zone)!)
        return (HistoryScope(userID: 1, kinds: kinds, minPlayedMillis: 30_000, period: resolved, now: now),
                HistoryScope(userID: 1, kinds: kinds, minPlayedMillis: 29_999, period: resolved, now: now))
    }

    @Test(arguments: zones)
    func rankingsAgree(zone: String) throws {
        for period in Self.periods {
            for kinds in [[PlayKind.music], PlayKind.allCases] {
                let (rollups, raw) = scopes(period, zone, kinds: kinds)
                #expect(rollups.usesRollups && !raw.usesRollups)
                for dimension in RankingDimension.allCases {
                    let (fast, slow) = try Self.harness.database.reader.read { db in
                        (try Rankings.rank(dimension, by: .time, scope: rollups, limit: nil, in: db),
                         try Rankings.rank(dimension, by: .time, scope: raw, limit: nil, in: db))
                    }
                    #expect(fast.entries == slow.entries, "\(dimension) \(period) \(zone)")
                    #expect(fast.totalPlays == slow.totalPlays)
                }
            }
        }
    }

    @Test(arguments: zones)
    func timeProfilesAgree(zone: String) throws {
        for period in Self.periods {
            let (rollups, raw) = scopes(period, zone, kinds: [.music])
            let (fast, slow) = try Self.harness.database.reader.read { db in
                (try TimeProfile.read(rollups, in: db), try TimeProfile.read(raw, in: db))
            }
            #expect(fast.gridPlays == slow.gridPlays, "\(period) \(zone)")
            #expect(fast.gridMillis == slow.gridMillis)
            #expect(fast.activeDays == slow.activeDays)
            #expect(fast.dayPlays.reduce(0, +) == slow.dayPlays.reduce(0, +))
        }
    }

    @Test func discoveriesAgree() throws {
        for period in Self.periods {
            let (rollups, raw) = scopes(period, "Europe/Berlin", kinds: PlayKind.allCases)
            let (fast, slow) = try Self.harness.database.reader.read { db in
                (try SummaryReports.discoveries(.tracks, scope: rollups, limit: 100, in: db),
                 try SummaryReports.discoveries(.tracks, scope: raw, limit: 100, in: db))
            }
            #expect(fast == slow, "\(period)")
        }
    }
}

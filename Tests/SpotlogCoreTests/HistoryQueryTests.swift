import Foundation
import GRDB
import Testing
@testable import SpotlogCore

/// History queries on small, hand-built histories with known answers.
@Suite struct HistoryQueryTests {
    let utc = TimeZone(identifier: "UTC")!
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// A history of three artists, a skip, a podcast, and plays around Berlin's DST change.
    func harness() throws -> ImportHarness {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        func play(_ ts: String, _ artist: String, _ track: String, ms: Int = 200_000, album: String = "Album") -> [String: Any] {
            Records.track(ts, uri: "spotify:track:\(artist)-\(track)".replacingOccurrences(of: " ", with: "_"), track: track,
                          artist: artist, album: album, ms: ms)
        }
        var podcast = Records.track("2024-03-30T20:00:00Z", uri: nil, track: nil, artist: nil, album: nil, ms: 3_600_000)
        podcast["episode_name"] = "Episode 1"
        podcast["episode_show_name"] = "Talk"
        podcast["spotify_episode_uri"] = "spotify:episode:e1"
        let rows: [[String: Any]] = [
            play("2024-03-30T23:30:00Z", "Björk", "Jóga"),              // Berlin: Sun 31 Mar 00:30 (UTC: Sat 23:30)
            play("2024-03-31T01:30:00Z", "Björk", "Jóga"),              // Berlin: Sun 03:30 CEST
            play("2024-03-31T10:00:00Z", "Björk", "Hunter", ms: 600_000),
            play("2024-04-01T10:00:00Z", "Sigur Rós", "Hoppípolla"),
            play("2024-04-02T10:00:00Z", "Sigur Rós", "Hoppípolla"),
            play("2024-04-02T11:00:00Z", "Radiohead", "Nude", ms: 10_000),  // a skip: under 30 s
            play("2024-04-20T10:00:00Z", "Radiohead", "Reckoner", album: "In Rainbows"),
            podcast,
        ]
        try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(rows)])])
        return harness
    }

    /// The scope of the harness's only user; user ids start at 1 in a fresh database, so this
    /// needs no database read (scopes are built inside reads).
    func scope(_ harness: ImportHarness, _ spec: PeriodSpec = .all, zone: TimeZone? = nil, kinds: [PlayKind] = [.music],
               minPlayed: Int64 = 30_000, now: String = "2024-04-03T12:00:00Z") throws -> HistoryScope {
        let user: Int64 = 1
        let instant = EpochMillis(iso8601: now)!
        return HistoryScope(userID: user, kinds: kinds, minPlayedMillis: minPlayed,
                            period: spec.resolve(now: instant, zone: zone ?? utc), now: instant)
    }

    func read<T>(_ harness: ImportHarness, _ body: (Database) throws -> T) throws -> T {
        try harness.database.reader.read(body)
    }

    @Test func topArtistsByPlaysAndByTime() throws {
        let harness = try harness()
        let byPlays = try read(harness) { try Rankings.rank(.artists, by: .plays, scope: scope(harness), limit: 10, in: $0) }
        #expect(byPlays.entries.map(\.name) == ["Björk", "Sigur Rós", "Radiohead"])
        #expect(byPlays.entries.map(\.plays) == [3, 2, 1])
        #expect(byPlays.totalPlays == 6, "the skip does not count")
        #expect(byPlays.entries[0].share == 0.5)
        let byTime = try read(harness) { try Rankings.rank(.tracks, by: .time, scope: scope(harness), limit: 1, in: $0) }
        #expect(byTime.entries.map(\.name) == ["Hunter"], "one long play beats two short ones")
        #expect(byTime.entries[0].artist == "Björk")
        #expect(byTime.entries[0].share == 600_000.0 / 1_600_000.0)
    }

    @Test func minPlayedThreshold() throws {
        let harness = try harness()
        func plays(_ minimum: Int64) throws -> Int {
            try read(harness) { try Rankings.rank(.tracks, by: .plays, scope: scope(harness, minPlayed: minimum), limit: nil, in: $0) }
                .totalPlays
        }
        #expect(try plays(30_000) == 6)
        #expect(try plays(0) == 7, "0 counts every play")
        #expect(try plays(300_000) == 1, "only the ten-minute play")
    }

    @Test func kindsAreSeparate() throws {
        let harness = try harness()
        let podcasts = try read(harness) { try Rankings.rank(.artists, by: .plays, scope: scope(harness, kinds: [.podcast]), limit: 5, in: $0) }
        #expect(podcasts.entries.map(\.name) == ["Talk"])
        let everything = try read(harness) { try Rankings.rank(.tracks, by: .time, scope: scope(harness, kinds: PlayKind.allCases), limit: 1, in: $0) }
        #expect(everything.entries.first?.name == "Episode 1")
        #expect(everything.entries.first?.kind == .podcast)
        let albums = try read(harness) { try Rankings.rank(.albums, by: .plays, scope: scope(harness), limit: 5, in: $0) }
        #expect(albums.entries.map { "\($0.name)/\($0.artist ?? "-")/\($0.plays)" }
                == ["Album/Björk/3", "Album/Sigur Rós/2", "In Rainbows/Radiohead/1"], "albums of one name by two artists")
    }

    @Test func periodsFollowTheZone() throws {
        let harness = try harness()
        let sunday = PeriodSpec.dates(from: LocalDate(iso: "2024-03-31"), to: LocalDate(iso: "2024-03-31"))
        let inUTC = try read(harness) { try Rankings.rank(.tracks, by: .plays, scope: scope(harness, sunday), limit: nil, in: $0) }
        let inBerlin = try read(harness) {
            try Rankings.rank(.tracks, by: .plays, scope: scope(harness, sunday, zone: berlin), limit: nil, in: $0)
        }
        #expect(inUTC.totalPlays == 2, "in UTC the 23:30 play is on Saturday")
        #expect(inBerlin.totalPlays == 3, "in Berlin it is 00:30 on Sunday")
    }

    @Test func heatmapBucketsByLocalWeekdayAndHourAcrossDST() throws {
        let harness = try harness()
        let cells = try read(harness) { try TimeReports.heatmap(scope(harness, zone: berlin), in: $0) }
        #expect(cells.count == 168)
        #expect(cells[0].weekday == 1 && cells[0].hour == 0)
        func plays(_ weekday: Int, _ hour: Int) -> Int { cells.first { $0.weekday == weekday && $0.hour == hour }!.plays }
        #expect(plays(7, 0) == 1, "Sunday 00:30 CET")
        #expect(plays(7, 3) == 1, "Sunday 03:30 CEST")
        #expect(plays(7, 12) == 1, "10:00Z is noon in summer time")
        #expect(plays(1, 12) == 1, "Monday 1 April")
        #expect(cells.reduce(0) { $0 + $1.plays } == 6)
        let kathmandu = try read(harness) {
            try TimeReports.heatmap(scope(harness, zone: TimeZone(identifier: "Asia/Kathmandu")!), in: $0)
        }
        #expect(kathmandu.first { $0.weekday == 7 && $0.hour == 5 }!.plays == 1, "23:30Z + 5:45 is Sunday 05:15")
    }

    @Test func timelineIncludesEmptyBucketsAndWeeksStartOnMonday() throws {
        let harness = try harness()
        let weeks = try read(harness) { try TimeReports.timeline(scope(harness), step: .week, in: $0) }
        #expect(weeks.map(\.start.description) == ["2024-03-25", "2024-04-01", "2024-04-08", "2024-04-15"])
        #expect(weeks.map(\.plays) == [3, 2, 0, 1])
        let days = try read(harness) {
            try TimeReports.timeline(scope(harness, .dates(from: LocalDate(iso: "2024-04-01"), to: LocalDate(iso: "2024-04-03"))),
                                     step: .day, in: $0)
        }
        #expect(days.map(\.plays) == [1, 1, 0], "the period's days, even without plays")
    }

    @Test func streaks() throws {
        let harness = try harness()
        let days = try read(harness) { try TimeReports.activeDays(scope(harness, zone: berlin), in: $0) }
        #expect(days.map(\.description) == ["2024-03-31", "2024-04-01", "2024-04-02", "2024-04-20"])
        let result = TimeReports.streaks(activeDays: days, today: LocalDate(iso: "2024-04-03")!)
        #expect(result.longest == Streak(start: LocalDate(iso: "2024-03-31")!, end: LocalDate(iso: "2024-04-02")!))
        #expect(result.current == nil, "the last active day is after today here")
        let current = TimeReports.streaks(activeDays: Array(days.prefix(3)), today: LocalDate(iso: "2024-04-03")!)
        #expect(current.current?.days == 3, "yesterday's streak is still current")
        let björk = try read(harness) { try TimeReports.activeDays(ofArtist: "bjork", scope: scope(harness, zone: berlin), in: $0) }
        #expect(björk?.map(\.description) == ["2024-03-31"])
        #expect(try read(harness) { try TimeReports.activeDays(ofArtist: "nobody", scope: scope(harness), in: $0) } == nil)
    }

    @Test func searchIgnoresCaseAndAccents() throws {
        let harness = try harness()
        let found = try read(harness) { try PlayListing.search("SIGUR ROS", scope: scope(harness), limit: 10, in: $0) }
        #expect(found.map(\.label.name) == ["Hoppípolla", "Hoppípolla"])
        #expect(found.first?.playedAt == EpochMillis(iso8601: "2024-04-02T10:00:00Z"), "newest first")
        let byAlbum = try read(harness) { try PlayListing.search("rainbows", scope: scope(harness), limit: 10, in: $0) }
        #expect(byAlbum.map(\.label.name) == ["Reckoner"])
        #expect(try read(harness) { try PlayListing.search("100%_", scope: scope(harness), limit: 10, in: $0) }.isEmpty)
        let recent = try read(harness) { try PlayListing.recent(scope(harness), limit: 2, in: $0) }
        #expect(recent.map(\.label.name) == ["Reckoner", "Hoppípolla"])
        #expect(recent.first?.label.album == "In Rainbows")
    }

    @Test func summaryCoverageAndDiscoveries() throws {
        let harness = try harness()
        let summary = try read(harness) { try SummaryReports.summary(scope(harness), in: $0) }
        #expect(summary.plays == 6)
        #expect(summary.distinctTracks == 4)
        #expect(summary.distinctArtists == 3)
        #expect(summary.repeatRate == 2.0 / 6.0)
        #expect(summary.podcastShare == 3_600_000.0 / (3_600_000 + 1_600_000))
        #expect(summary.topArtists.first?.name == "Björk")
        let coverage = try read(harness) { try SummaryReports.coverage(scope(harness), gapDays: 7, in: $0) }
        #expect(coverage.playsBySource == [.extended: 7])
        #expect(coverage.gaps.map(\.days) == [17])
        let april = PeriodSpec.month(year: 2024, month: 4)
        let new = try read(harness) { try SummaryReports.discoveries(.artists, scope: scope(harness, april), limit: 10, in: $0) }
        #expect(new.map(\.name) == ["Radiohead", "Sigur Rós"], "Björk was first heard in March")
    }

    @Test func emptyHistoryAnswersWithNothing() throws {
        let harness = try ImportHarness()
        let user = try UserDirectory(database: harness.database).create(name: "nobody")
        let scope = HistoryScope(userID: user.id!, period: PeriodSpec.all.resolve(now: .now(), zone: utc))
        let (ranking, heatmap, timeline, summary, recent) = try harness.database.reader.read { db in
            (try Rankings.rank(.artists, by: .plays, scope: scope, limit: 10, in: db), try TimeReports.heatmap(scope, in: db),
             try TimeReports.timeline(scope, step: .month, in: db), try SummaryReports.summary(scope, in: db),
             try PlayListing.recent(scope, limit: 5, in: db))
        }
        #expect(ranking.entries.isEmpty)
        #expect(heatmap.allSatisfy { $0.plays == 0 })
        #expect(timeline.isEmpty)
        #expect(summary.plays == 0)
        #expect(recent.isEmpty)
    }
}

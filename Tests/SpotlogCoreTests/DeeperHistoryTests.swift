import Foundation
import GRDB
import Testing
@testable import SpotlogCore

/// `artist`/`track`/`album`, `compare`, `wrapped`, `skips` and `sessions` on hand-built histories.
/// Where a rollup answers, the same question at a threshold that reads raw plays (every play
/// here lasts a minute or more, or under 20 s) must give the same answer: the oracle.
@Suite struct DeeperHistoryTests {
    let now = EpochMillis(iso8601: "2024-06-01T12:00:00Z")!

    func harness(_ rows: [[String: Any]], account: [[String: Any]] = []) throws -> ImportHarness {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        var files = ["Streaming_History_Audio_2024.json": Records.json(rows)]
        if !account.isEmpty { files["StreamingHistory_music_0.json"] = Records.json(account) }
        try harness.run([try fixture.directory(files)])
        return harness
    }

    static func play(_ ts: String, _ artist: String, _ track: String, ms: Int = 200_000, album: String = "Album",
                     skipped: Any = false) -> [String: Any] {
        Records.track(ts, uri: "spotify:track:\(artist)-\(track)".replacingOccurrences(of: " ", with: "_"), track: track,
                      artist: artist, album: album, ms: ms, extra: ["skipped": skipped])
    }

    func scope(_ spec: PeriodSpec = .all, zone: String = "UTC", minPlayed: Int64 = 30_000,
               kinds: [PlayKind] = [.music]) -> HistoryScope {
        HistoryScope(userID: 1, kinds: kinds, minPlayedMillis: minPlayed,
                     period: spec.resolve(now: now, zone: TimeZone(identifier: zone)!), now: now)
    }

    func profile(_ harness: ImportHarness, _ subject: ProfileSubject, _ name: String, by artist: String? = nil,
                 _ scope: HistoryScope) throws -> ItemProfile {
        try harness.database.reader.read { db in
            try ItemProfiles.profile(subject, name, byArtist: artist, scope: scope, limit: 10, in: db)
        }
    }

    // MARK: one artist, song or album

    static var songs: [[String: Any]] { [
        play("2024-03-30T23:30:00Z", "Björk", "Jóga", album: "Homogenic"),  // Berlin: 31 Mar 00:30
        play("2024-03-31T22:30:00Z", "Björk", "Jóga", album: "Homogenic"),  // Berlin: 1 Apr 00:30 (CEST)
        play("2024-04-01T10:00:00Z", "Björk", "Hunter", album: "Homogenic"),
        play("2024-04-02T10:00:00Z", "Björk", "Jóga", album: "Homogenic"),
        play("2024-04-02T11:00:00Z", "The xx", "Intro"),
        play("2024-04-02T12:00:00Z", "The xx", "Intro"),
        play("2024-04-03T12:00:00Z", "M83", "Intro"),
        play("2024-04-04T12:00:00Z", "Björk", "Jóga", ms: 10_000, album: "Homogenic"),  // not counted
        play("2024-05-31T23:10:00Z", "Björk", "Hunter", album: "Homogenic"),  // Kathmandu: 1 Jun 04:55
    ] }

    @Test func namesMatchCaseAndAccentsAmbiguousOnesListTheCandidates() throws {
        let harness = try harness(Self.songs)
        let bjork = try profile(harness, .artist, "BJORK", scope())
        #expect(bjork.name == "Björk" && bjork.plays == 5 && bjork.allTimePlays == 5)
        #expect(bjork.rank == 1 && bjork.ranked == 3)
        #expect(bjork.top.map(\.name) == ["Jóga", "Hunter"] && bjork.top.map(\.plays) == [3, 2])
        #expect(bjork.firstPlayed == EpochMillis(iso8601: "2024-03-30T23:30:00Z"))
        #expect(bjork.lastPlayed == EpochMillis(iso8601: "2024-05-31T23:10:00Z"))
        #expect(bjork.uris.count == 1)

        do {
            _ = try profile(harness, .track, "intro", scope())
            Issue.record("an ambiguous title must be refused")
        } catch let error as SpotlogError {
            #expect(error.category == .usage)
            #expect(error.message.contains("'Intro' by 'M83'") && error.message.contains("'Intro' by 'The xx'"), "\(error.message)")
        }
        let intro = try profile(harness, .track, "intro", by: "the XX", scope())
        #expect(intro.plays == 2 && intro.artist == "The xx" && intro.rank == 3, "after Hunter: same plays and time, name first")
        #expect(intro.top.map(\.name) == ["The xx"], "a track's top lists its credited artists")
        let byURI = try profile(harness, .track, "spotify:track:M83-Intro", scope())
        #expect(byURI.plays == 1 && byURI.artist == "M83")

        do {
            _ = try profile(harness, .artist, "bjrok", scope())
            Issue.record("an unknown name must be refused")
        } catch let error as SpotlogError {
            #expect(error.category == .notFound && error.message.hasSuffix("did you mean 'Björk'?"), "\(error.message)")
        }
        do {
            _ = try profile(harness, .album, "Homogenic", by: "M83", scope())
            Issue.record("no such album by that artist")
        } catch let error as SpotlogError {
            #expect(error.category == .notFound)
        }
        let album = try profile(harness, .album, "homogenic", scope())
        #expect(album.plays == 5 && album.top.map(\.name) == ["Jóga", "Hunter"] && album.artist == "Björk")
    }

    @Test func monthsAndStreaksAreLocalAndTheRollupsAgreeWithThePlays() throws {
        let harness = try harness(Self.songs)
        let berlin = try profile(harness, .artist, "björk", scope(zone: "Europe/Berlin"))
        #expect(berlin.months.map(\.month.description) == ["2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01"])
        #expect(berlin.months.map(\.plays) == [1, 3, 0, 1], "the play at 22:30 UTC on 31 March is April's in Berlin")
        #expect(berlin.longestStreak.map { "\($0.start) \($0.end)" } == "2024-03-31 2024-04-02")
        let utc = try profile(harness, .artist, "björk", scope())
        #expect(utc.months.map(\.plays) == [2, 2, 1])
        #expect(utc.longestStreak.map { "\($0.start) \($0.end)" } == "2024-03-30 2024-04-02")

        for zone in ["UTC", "Europe/Berlin", "Asia/Kathmandu", "America/St_Johns", "Pacific/Kiritimati"] {
            for spec in [PeriodSpec.all, .month(year: 2024, month: 4), .days(70), .dates(from: LocalDate(year: 2024, month: 3, day: 31),
                                                                                           to: LocalDate(year: 2024, month: 4, day: 2))] {
                for subject in [(ProfileSubject.artist, "björk"), (.album, "homogenic"), (.track, "jóga")] {
                    let fast = try profile(harness, subject.0, subject.1, scope(spec, zone: zone))
                    let plain = try profile(harness, subject.0, subject.1, scope(spec, zone: zone, minPlayed: 20_000))
                    #expect(fast.months == plain.months, "\(zone) \(spec) \(subject)")
                    #expect(fast.longestStreak == plain.longestStreak, "\(zone) \(spec) \(subject)")
                    #expect(fast.plays == plain.plays && fast.rank == plain.rank, "\(zone) \(spec) \(subject)")
                }
            }
        }
        let none = try profile(harness, .artist, "björk", scope(.year(2020)))
        #expect(none.plays == 0 && none.rank == nil && none.months.isEmpty && none.longestStreak == nil)
        #expect(none.allTimePlays == 5, "all time whatever the period")
    }

    // MARK: compare

    @Test func compareMarksNewUpDownAndGoneAndTakesAnyOtherPeriod() throws {
        var rows: [[String: Any]] = []
        for (day, artist) in [(4, "A"), (5, "A"), (6, "A"), (7, "B"), (8, "B"), (9, "C")] {
            rows.append(Self.play(String(format: "2024-03-%02dT10:00:00Z", day), artist, "Song \(artist)"))
        }
        for (day, artist) in [(4, "B"), (5, "B"), (6, "B"), (7, "A"), (8, "A"), (9, "D")] {
            rows.append(Self.play(String(format: "2024-04-%02dT10:00:00Z", day), artist, "Song \(artist)"))
        }
        let harness = try harness(rows)
        let april = scope(.month(year: 2024, month: 4))
        let previous = try #require(PeriodSpec.month(year: 2024, month: 4).previous(of: april.period, now: now))
        #expect(previous == .month(year: 2024, month: 3))
        var march = april
        march.period = previous.resolve(now: now, zone: april.period.zone)
        let comparison = try harness.database.reader.read { db in try Comparisons.compare(april, with: march, limit: 3, in: db) }
        #expect(comparison.artists.map { "\($0.name) \($0.change.rawValue) \($0.rank ?? 0) \($0.otherRank ?? 0)" }
                == ["B up 1 2", "A down 2 1", "D new 3 0", "C gone 0 3"])
        #expect(comparison.totals == PeriodTotals(plays: 6, msPlayed: 1_200_000, activeDays: 6, distinctArtists: 3, distinctTracks: 3))
        #expect(comparison.otherTotals.activeDays == 6)

        var year = april
        year.period = PeriodSpec.year(2023).resolve(now: now, zone: april.period.zone)
        let againstEmpty = try harness.database.reader.read { db in try Comparisons.compare(april, with: year, limit: 10, in: db) }
        #expect(againstEmpty.artists.allSatisfy { $0.change == .new } && againstEmpty.otherTotals.plays == 0)

        #expect(PeriodSpec.all.previous(of: scope().period, now: now) == nil)
        #expect(PeriodSpec.days(7).previous(of: scope(.days(7)).period, now: now)
                == .dates(from: LocalDate(year: 2024, month: 5, day: 19), to: LocalDate(year: 2024, month: 5, day: 25)))
        #expect(PeriodSpec.months(2).previous(of: scope(.months(2)).period, now: now)
                == .dates(from: LocalDate(year: 2024, month: 2, day: 2), to: LocalDate(year: 2024, month: 4, day: 1)))
    }

    // MARK: skips

    @Test func skipRatesCountOnlyPlaysThatSayAndIgnoreTheThreshold() throws {
        let rows = [
            Self.play("2024-04-01T10:00:00Z", "A", "One", ms: 5_000, skipped: true),
            Self.play("2024-04-01T11:00:00Z", "A", "One", skipped: false),
            Self.play("2024-04-15T10:00:00Z", "A", "One", ms: 8_000, skipped: true),
            Self.play("2024-04-30T23:30:00Z", "A", "Two", ms: 3_000, skipped: true),  // Berlin: 1 May
            Self.play("2024-04-20T10:00:00Z", "A", "Two", skipped: NSNull()),          // says nothing
        ]
        let harness = try harness(rows, account: [Records.account("2024-04-10 10:00", artist: "A", track: "One")])
        func report(_ spec: PeriodSpec, _ zone: String = "UTC", minPlayed: Int64 = 30_000) throws -> SkipReport {
            try harness.database.reader.read { db in try Skips.report(scope(spec, zone: zone, minPlayed: minPlayed), limit: 10, in: db) }
        }
        let april = try report(.month(year: 2024, month: 4))
        #expect(april.plays == 6 && april.judged == 4 && april.skipped == 3)
        #expect(april.mostSkipped.map { "\($0.name) \($0.skips)/\($0.plays)" } == ["One 2/3", "Two 1/1"])
        #expect(try report(.month(year: 2024, month: 4), minPlayed: 0).judged == 4, "--min-played does not apply")
        let berlin = try report(.month(year: 2024, month: 4), "Europe/Berlin")
        #expect(berlin.judged == 3 && berlin.skipped == 2, "the last skip is May's in Berlin")
        let cut = try report(.dates(from: LocalDate(year: 2024, month: 4, day: 2), to: LocalDate(year: 2024, month: 4, day: 29)))
        #expect(cut.judged == 1 && cut.skipped == 1 && cut.plays == 3)
        let empty = try report(.year(2020))
        #expect(empty.plays == 0 && empty.judged == 0 && empty.rate == 0 && empty.mostSkipped.isEmpty)
    }

    // MARK: sessions

    static var sessionRows: [[String: Any]] { [
        play("2024-04-01T10:00:00Z", "A", "One", ms: 300_000),     // 09:55-10:00
        play("2024-04-01T10:20:00Z", "A", "Two", ms: 300_000),     // starts 15 min after
        play("2024-04-01T12:00:00Z", "B", "Long", ms: 6_600_000),  // 10:10-12:00, overlapping
        play("2024-04-01T12:40:00Z", "A", "One", ms: 300_000),     // starts 35 min after 12:00
        play("2024-04-01T23:59:50Z", "A", "Two", ms: 240_000),     // across UTC midnight:
        play("2024-04-02T00:05:00Z", "A", "One", ms: 180_000),     // starts 00:02
        play("2024-04-02T08:00:00Z", "A", "Two", ms: 10_000),      // too short to count
    ] }

    func sessions(_ harness: ImportHarness, gap minutes: Int64, _ scope: HistoryScope) throws -> [ListeningSession] {
        try harness.database.reader.read { db in try Sessions.find(scope, gapMillis: minutes * 60_000, in: db) }
    }

    @Test func aSessionEndsWhenAPlayStartsMoreThanTheGapAfterTheLatestEnd() throws {
        let harness = try harness(Self.sessionRows)
        let at = { (text: String) in EpochMillis(iso8601: text)! }
        #expect(try sessions(harness, gap: 30, scope()) == [
            ListeningSession(start: at("2024-04-01T09:55:00Z"), end: at("2024-04-01T12:00:00Z"), plays: 3),
            ListeningSession(start: at("2024-04-01T12:35:00Z"), end: at("2024-04-01T12:40:00Z"), plays: 1),
            ListeningSession(start: at("2024-04-01T23:55:50Z"), end: at("2024-04-02T00:05:00Z"), plays: 2),
        ])
        #expect(try sessions(harness, gap: 40, scope()).map(\.plays) == [4, 2])
        #expect(try sessions(harness, gap: 10, scope()).map(\.plays) == [3, 1, 2], "the long play bridges the 15 minutes")
        #expect(try sessions(harness, gap: 1, scope()).map(\.plays) == [1, 2, 1, 1, 1])
        #expect(try sessions(harness, gap: 30, scope(minPlayed: 0)).map(\.plays) == [3, 1, 2, 1])
        // Stored 30-minute sessions (whole days, default threshold) agree with the plays.
        for zone in ["UTC", "Europe/Berlin", "Asia/Kathmandu"] {
            for spec in [PeriodSpec.all, .month(year: 2024, month: 4), .dates(from: LocalDate(year: 2024, month: 4, day: 2), to: nil)] {
                for gap: Int64 in [30, 45, 600] {
                    #expect(try sessions(harness, gap: gap, scope(spec, zone: zone))
                            == sessions(harness, gap: gap, scope(spec, zone: zone, minPlayed: 20_000)), "\(zone) \(spec) \(gap)")
                }
            }
        }
        let report = try harness.database.reader.read { db in
            try Sessions.report(scope(zone: "Europe/Berlin"), gapMillis: 1_800_000, in: db)
        }
        #expect(report.sessions == 3 && report.plays == 6 && report.medianMillis == 9 * 60_000 + 10_000)
        #expect(report.longest?.plays == 3 && report.medianPlays == 2)
        #expect(report.byWeekday == [2, 1, 0, 0, 0, 0, 0], "Monday 1 April twice, Tuesday 01:55 in Berlin")
        #expect(report.byHour[11] == 1 && report.byHour[14] == 1 && report.byHour[1] == 1)
    }

    // MARK: wrapped

    @Test func wrappedSumsUpAPeriodAndAnEmptyOne() throws {
        var rows = Self.songs
        var podcast = Records.track("2024-04-05T20:00:00Z", uri: nil, track: nil, artist: nil, album: nil, ms: 3_600_000)
        podcast["episode_name"] = "Episode 1"
        podcast["episode_show_name"] = "Talk"
        podcast["spotify_episode_uri"] = "spotify:episode:e1"
        rows.append(podcast)
        let harness = try harness(rows)
        let april = try harness.database.reader.read { db in
            try WrappedReports.report(scope(.month(year: 2024, month: 4)), top: 5, in: db)
        }
        #expect(april.plays == 5 && april.topArtists.first?.name == "Björk" && april.topPodcast?.name == "Talk")
        #expect(april.topAudiobook == nil && april.topAlbums.map(\.name) == ["Album", "Homogenic", "Album"])
        #expect(april.busiestDay.map { "\($0.start) \($0.plays)" } == "2024-04-02 3")
        #expect(april.peakWeekday == 2 && april.peakHour == 10)
        #expect(april.newArtists == 2 && april.newTracks == 3, "The xx and M83; Hunter and two Intros")
        #expect(april.longestStreak.map { "\($0.start) \($0.end)" } == "2024-04-01 2024-04-03")
        #expect(april.longestSession == ListeningSession(start: EpochMillis(iso8601: "2024-04-01T09:56:40Z")!,
                                                         end: EpochMillis(iso8601: "2024-04-01T10:00:00Z")!, plays: 1))
        let empty = try harness.database.reader.read { db in try WrappedReports.report(scope(.year(2020)), top: 5, in: db) }
        #expect(empty.plays == 0 && empty.topArtists.isEmpty && empty.busiestDay == nil && empty.peakHour == nil)
        #expect(empty.longestStreak == nil && empty.longestSession == nil && empty.newArtists == 0)
    }
}

import Foundation
import GRDB

/// One cell of the weekday × hour heatmap.
public struct HeatmapCell: Equatable, Sendable {
    /// ISO weekday: 1 = Monday ... 7 = Sunday.
    public let weekday: Int
    public let hour: Int
    public let plays: Int
    public let msPlayed: Int64
}

/// How `timeline` groups days.
public enum TimelineStep: String, Sendable, CaseIterable { case day, week, month, year }

/// One bar of the timeline: the bucket's first local date and its totals.
public struct TimelineBucket: Equatable, Sendable {
    public let start: LocalDate
    public let plays: Int
    public let msPlayed: Int64
}

/// A run of consecutive local days with counted plays.
public struct Streak: Equatable, Sendable {
    public let start: LocalDate
    public let end: LocalDate
    public var days: Int { end.daysSinceEpoch - start.daysSinceEpoch + 1 }
}

/// The longest and the current listening streak.
public struct Streaks: Equatable, Sendable {
    public let longest: Streak?
    /// The streak that includes today or yesterday (today may not have been listened to yet).
    public let current: Streak?
    public let activeDays: Int
}

/// Answers about when listening happened, in the scope's time zone.
public enum TimeReports {
    /// Counted plays and time by local weekday and hour: always 7 × 24 cells, Monday 0:00 first.
    public static func heatmap(_ scope: HistoryScope, in db: Database) throws -> [HeatmapCell] {
        heatmap(try TimeProfile.read(scope, in: db))
    }

    public static func heatmap(_ profile: TimeProfile) -> [HeatmapCell] {
        (0..<7 * 24).map {
            HeatmapCell(weekday: $0 / 24 + 1, hour: $0 % 24, plays: profile.gridPlays[$0], msPlayed: profile.gridMillis[$0])
        }
    }

    /// Counted plays and time per local day, week (from Monday), month or year, from the first
    /// bucket with plays (or the period's start) to the last (or the period's end), gaps included.
    public static func timeline(_ scope: HistoryScope, step: TimelineStep, in db: Database) throws -> [TimelineBucket] {
        let profile = try TimeProfile.read(scope, in: db)
        let clock = ZoneClock(zone: scope.period.zone)
        var buckets: [TimelineBucket] = []
        func add(_ start: LocalDate, _ plays: Int, _ millis: Int64) {
            if let last = buckets.last, last.start == start {
                buckets[buckets.count - 1] = TimelineBucket(start: start, plays: last.plays + plays, msPlayed: last.msPlayed + millis)
            } else {
                buckets.append(TimelineBucket(start: start, plays: plays, msPlayed: millis))
            }
        }
        let dataDays = profile.dayPlays.isEmpty ? nil : profile.firstDay...(profile.firstDay + profile.dayPlays.count - 1)
        let firstDay = [dataDays?.lowerBound, scope.period.from.map { clock.localDate(of: $0).daysSinceEpoch }].compactMap { $0 }.min()
        let lastDay = [dataDays?.upperBound, scope.period.to.map { clock.localDate(of: $0 - 1).daysSinceEpoch }].compactMap { $0 }.max()
        guard let firstDay, let lastDay else { return [] }
        var day = bucket(of: LocalDate(daysSinceEpoch: firstDay), step).daysSinceEpoch
        while day <= lastDay {
            let index = day - profile.firstDay
            let inData = index >= 0 && index < profile.dayPlays.count
            add(bucket(of: LocalDate(daysSinceEpoch: day), step), inData ? profile.dayPlays[index] : 0,
                inData ? profile.dayMillis[index] : 0)
            day += 1
        }
        return buckets
    }

    /// The local dates with at least one counted play.
    public static func activeDays(_ scope: HistoryScope, in db: Database) throws -> [LocalDate] {
        try TimeProfile.read(scope, in: db).activeDays
    }

    /// The local dates with counted plays of an artist (matched ignoring case and accents) and
    /// of the artists merged into it, or `nil` when no artist has that name.
    public static func activeDays(ofArtist name: String, scope: HistoryScope, in db: Database) throws -> [LocalDate]? {
        let wanted = IdentityKey.fold(name)
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.id, a.name, a.name_key, aa.artist_key FROM artists a LEFT JOIN artist_aliases aa ON aa.alias_key = a.name_key
            """)
        let named = Set(try rows.filter { IdentityKey.fold(try $0.decode(atIndex: 1)) == wanted }
            .map { try $0.decode(String.self, atIndex: 2) })
        // The artist, and the artists merged into it (see `ArtistAliases`).
        let artists = try rows.filter { row in
            let key: String = try row.decode(atIndex: 2), mergedInto: String? = try row.decode(atIndex: 3)
            return named.contains(key) || mergedInto.map(named.contains) == true
        }.map { try $0.decode(Int64.self, atIndex: 0) }
        guard !artists.isEmpty else { return nil }
        let list = artists.map(String.init).joined(separator: ",")
        var music = scope
        music.kinds = [.music]
        let condition = music.playsCondition
        let instants = try EpochMillis.fetchAll(db, sql: """
            SELECT played_at FROM plays WHERE \(condition.sql)
              AND item_id IN (SELECT track_id FROM track_artists WHERE artist_id IN (\(list)))
            ORDER BY played_at
            """, arguments: condition.arguments)
        guard let first = instants.first, let last = instants.last else { return [] }
        let offsets = ZoneClock(zone: scope.period.zone).offsets(from: first, to: last + 1)
        return Set(instants.map { LocalMoment(local: offsets.local($0)).day }).sorted().map(LocalDate.init(daysSinceEpoch:))
    }

    /// Longest and current daily streaks over the given active days.
    public static func streaks(activeDays: [LocalDate], today: LocalDate) -> Streaks {
        var longest: Streak?, runs: [Streak] = []
        for day in activeDays {
            if let last = runs.last, last.end.adding(days: 1) == day {
                runs[runs.count - 1] = Streak(start: last.start, end: day)
            } else {
                runs.append(Streak(start: day, end: day))
            }
        }
        for run in runs where longest == nil || run.days > longest!.days { longest = run }
        let current = runs.last.flatMap { $0.end >= today.adding(days: -1) && $0.end <= today ? $0 : nil }
        return Streaks(longest: longest, current: current, activeDays: activeDays.count)
    }

    static func bucket(of date: LocalDate, _ step: TimelineStep) -> LocalDate {
        switch step {
        case .day: return date
        case .week: return date.adding(days: 1 - date.isoWeekday)
        case .month: return LocalDate(year: date.year, month: date.month, day: 1)
        case .year: return LocalDate(year: date.year, month: 1, day: 1)
        }
    }

    static func next(after date: LocalDate, _ step: TimelineStep) -> LocalDate {
        switch step {
        case .day: return date.adding(days: 1)
        case .week: return date.adding(days: 7)
        case .month: return date.adding(months: 1)
        case .year: return date.adding(months: 12)
        }
    }
}

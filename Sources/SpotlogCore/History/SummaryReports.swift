import Foundation
import GRDB

/// The overview `summary` prints.
public struct ListeningSummary: Sendable {
    public let plays: Int
    public let msPlayed: Int64
    public let distinctTracks: Int
    public let distinctArtists: Int
    public let activeDays: Int
    public let firstPlay: EpochMillis?
    public let lastPlay: EpochMillis?
    public let topArtists: [RankedEntry]
    public let topTracks: [RankedEntry]
    /// The ISO weekday and the hour with the most counted plays, if any.
    public let peakWeekday: Int?
    public let peakHour: Int?
    /// Share of plays that repeat a song already played in the period.
    public let repeatRate: Double
    /// Share of all listening time in the period (every kind) that was podcasts.
    public let podcastShare: Double
}

/// How often songs are played again.
public struct RepeatReport: Sendable {
    public let plays: Int
    public let distinctTracks: Int
    public var repeats: Int { plays - distinctTracks }
    public var rate: Double { plays > 0 ? Double(repeats) / Double(plays) : 0 }
    /// Songs played at least twice, most played first.
    public let mostReplayed: [RankedEntry]
}

/// How complete the data is.
public struct CoverageReport: Sendable {
    /// Every play (however short) per source.
    public let playsBySource: [PlaySource: Int]
    public let firstPlay: EpochMillis?
    public let lastPlay: EpochMillis?
    /// Local days with counted plays, and the days from the first to the last play.
    public let activeDays: Int
    public let spanDays: Int
    /// Runs of days without counted plays longer than the threshold.
    public let gaps: [Streak]
    public let lastPoll: EpochMillis?
    /// When polls (in the period) found a full page of new plays: plays before each may be missing.
    public let possibleGaps: [EpochMillis]
}

/// A first listen.
public struct Discovery: Equatable, Sendable {
    public let kind: PlayKind
    public let name: String
    public let artist: String?
    public let firstPlayed: EpochMillis
    /// Counted plays ever.
    public let plays: Int
}

/// Overviews built from rankings, time samples and the rollups.
public enum SummaryReports {
    public static func summary(_ scope: HistoryScope, in db: Database) throws -> ListeningSummary {
        // One statement ranks songs and artists (top five, and how many there are) and totals every
        // kind (for the podcast share), so the counts of the period are computed once.
        var everyKind = scope
        everyKind.kinds = PlayKind.allCases
        let counts = everyKind.itemCounts()
        let measures = "sum(c.plays) AS plays, sum(c.ms) AS ms"
        func grouped(_ dimension: RankingDimension) -> String {
            scope.kinds.map { Rankings.groupSQL(dimension, $0, measures: measures, scope: scope) }.joined(separator: " UNION ALL ")
        }
        // Each part's top five by a top-N sort, and its size by a count, rather than one window
        // over every group (which sorted them all): all-time summaries of 1M plays took 42 ms
        // instead of 51 (farm-bench pairs, ratio 0.83); shorter periods are unchanged.
        func top(_ part: String, _ table: String) -> String {
            """
            SELECT '\(part)' AS part, kind, name, artist, plays, ms, (SELECT count(*) FROM \(table)) AS groups,
                   row_number() OVER (ORDER BY plays DESC, ms DESC, name, kind) AS position
            FROM (SELECT * FROM \(table) ORDER BY plays DESC, ms DESC, name, kind LIMIT 5)
            """
        }
        let rows = try Row.fetchAll(db, sql: """
            WITH c AS MATERIALIZED (\(counts.sql)), t AS MATERIALIZED (\(grouped(.tracks))),
                 a AS MATERIALIZED (\(grouped(.artists)))
            \(top("tracks", "t")) UNION ALL \(top("artists", "a"))
            UNION ALL SELECT 'kinds', kind, NULL, NULL, sum(plays), sum(ms), NULL, NULL FROM c GROUP BY kind
            ORDER BY part, position
            """, arguments: counts.arguments)
        var byKind: [PlayKind: (plays: Int, millis: Int64)] = [:]
        var rowsByPart: [String: [Row]] = [:]
        for row in rows { rowsByPart[try row.decode(String.self, forColumn: "part"), default: []].append(row) }
        for row in rowsByPart["kinds"] ?? [] {
            if let kind = PlayKind(rawValue: try row.decode(forColumn: "kind")) {
                byKind[kind] = (try row.decode(forColumn: "plays"), try row.decode(forColumn: "ms"))
            }
        }
        let plays = scope.kinds.reduce(0) { $0 + (byKind[$1]?.plays ?? 0) }
        let millis = scope.kinds.reduce(Int64(0)) { $0 + (byKind[$1]?.millis ?? 0) }
        let tracks = try Rankings.ranking(rowsByPart["tracks"] ?? [], measure: .plays, totalPlays: plays, totalMillis: millis)
        let artists = try Rankings.ranking(rowsByPart["artists"] ?? [], measure: .plays, totalPlays: plays, totalMillis: millis)
        let profile = try TimeProfile.read(scope, in: db)
        var weekdays = [Int](repeating: 0, count: 8), hours = [Int](repeating: 0, count: 24)
        for cell in TimeReports.heatmap(profile) {
            weekdays[cell.weekday] += cell.plays
            hours[cell.hour] += cell.plays
        }
        let allTime = byKind.values.reduce(Int64(0)) { $0 + $1.millis }
        func groups(_ part: String) throws -> Int { try rowsByPart[part]?.first?.decode(forColumn: "groups") ?? 0 }
        let distinctTracks = try groups("tracks")
        return ListeningSummary(
            plays: plays, msPlayed: millis, distinctTracks: distinctTracks, distinctArtists: try groups("artists"),
            activeDays: profile.activeDays.count,
            firstPlay: try boundaryPlay(scope, last: false, in: db), lastPlay: try boundaryPlay(scope, last: true, in: db),
            topArtists: artists.entries, topTracks: tracks.entries,
            peakWeekday: plays > 0 ? (1...7).max { weekdays[$0] < weekdays[$1] } : nil,
            peakHour: plays > 0 ? (0..<24).max { hours[$0] < hours[$1] } : nil,
            repeatRate: plays > 0 ? Double(plays - distinctTracks) / Double(plays) : 0,
            podcastShare: allTime > 0 ? Double(byKind[.podcast]?.millis ?? 0) / Double(allTime) : 0)
    }

    public static func repeats(_ scope: HistoryScope, limit: Int, in db: Database) throws -> RepeatReport {
        let songs = try Rankings.rank(.tracks, by: .plays, scope: scope, limit: nil, in: db)
        return RepeatReport(plays: songs.totalPlays, distinctTracks: songs.entries.count,
                            mostReplayed: Array(songs.entries.prefix { $0.plays > 1 }.prefix(limit)))
    }

    public static func coverage(_ scope: HistoryScope, gapDays: Int, in db: Database) throws -> CoverageReport {
        var bySource: [PlaySource: Int] = [:]
        let rows: [Row]
        if scope.period.from == nil && scope.period.to == nil {
            rows = try Row.fetchAll(db, sql: """
                SELECT source, sum(plays) FROM play_days WHERE user_id = ? AND kind IN (\(scope.kindList)) GROUP BY source
                """, arguments: [scope.userID])
        } else {
            var anyLength = scope
            anyLength.minPlayedMillis = 0
            let condition = anyLength.playsCondition
            rows = try Row.fetchAll(db, sql: "SELECT source, count(*) FROM plays WHERE \(condition.sql) GROUP BY source",
                                    arguments: condition.arguments)
        }
        for row in rows {
            if let source = PlaySource(rawValue: try row.decode(atIndex: 0)) { bySource[source] = try row.decode(atIndex: 1) }
        }
        var anyLength = scope
        anyLength.minPlayedMillis = 0
        let first = try boundaryPlay(anyLength, last: false, in: db), last = try boundaryPlay(anyLength, last: true, in: db)
        let days = try TimeReports.activeDays(scope, in: db)
        var gaps: [Streak] = []
        for (previous, next) in zip(days, days.dropFirst()) where next.daysSinceEpoch - previous.daysSinceEpoch - 1 > gapDays {
            gaps.append(Streak(start: previous.adding(days: 1), end: next.adding(days: -1)))
        }
        let clock = ZoneClock(zone: scope.period.zone)
        let span = first.flatMap { first in last.map { clock.localDate(of: $0).daysSinceEpoch - clock.localDate(of: first).daysSinceEpoch + 1 } }
        let lastPoll = try Int64.fetchOne(db, sql: "SELECT last_poll_at FROM sync_state WHERE user_id = ?", arguments: [scope.userID])
        let possibleGaps = try EpochMillis.fetchAll(db, sql: """
            SELECT started_at FROM job_runs
            WHERE user_id = ? AND job_type = 'poll' AND json_extract(stats, '$.gap_possible') = 1
              AND started_at >= ? AND started_at < ?
            ORDER BY started_at
            """, arguments: [scope.userID, scope.period.from ?? .min, scope.period.to ?? .max])
        return CoverageReport(playsBySource: bySource, firstPlay: first, lastPlay: last, activeDays: days.count,
                              spanDays: span ?? 0, gaps: gaps, lastPoll: lastPoll, possibleGaps: possibleGaps)
    }

    /// Tracks or artists (episodes or shows, chapters or books) first played in the period, newest first.
    public static func discoveries(_ dimension: RankingDimension, scope: HistoryScope, limit: Int, in db: Database) throws
        -> [Discovery] {
        let firsts = scope.allTimeItemTotals()
        var arguments = firsts.arguments
        let groups = scope.kinds.filter { dimension != .albums || $0 == .music }
            .map {
                Rankings.groupSQL(dimension, $0, measures: "min(c.first) AS first, sum(c.plays) AS plays", scope: scope)
            }
        guard !groups.isEmpty else { return [] }
        arguments += [scope.period.from ?? .min, scope.period.to ?? .max, limit]
        let rows = try Row.fetchAll(db, sql: """
            WITH c AS MATERIALIZED (\(firsts.sql))
            SELECT kind, name, artist, first, plays FROM (\(groups.joined(separator: " UNION ALL ")))
            WHERE first >= ? AND first < ? ORDER BY first DESC, name LIMIT ?
            """, arguments: arguments)
        return try rows.map { row in
            Discovery(kind: PlayKind(rawValue: try row.decode(atIndex: 0)) ?? .music, name: try row.decode(atIndex: 1),
                      artist: try row.decode(atIndex: 2), firstPlayed: try row.decode(atIndex: 3),
                      plays: try row.decode(atIndex: 4))
        }
    }

    /// The first or last counted play in scope.
    static func boundaryPlay(_ scope: HistoryScope, last: Bool, in db: Database) throws -> EpochMillis? {
        let condition = scope.playsCondition
        return try EpochMillis.fetchOne(db, sql: """
            SELECT played_at FROM plays WHERE \(condition.sql) ORDER BY played_at \(last ? "DESC" : "ASC") LIMIT 1
            """, arguments: condition.arguments)
    }
}

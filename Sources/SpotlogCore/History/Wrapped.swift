import GRDB

/// A year in review, for any period (`history wrapped`).
public struct WrappedReport: Sendable {
    public let plays: Int
    public let msPlayed: Int64
    public let topArtists: [RankedEntry]
    public let topTracks: [RankedEntry]
    public let topAlbums: [RankedEntry]
    /// The most played show and audiobook in the period, whatever `--kind` says.
    public let topPodcast: RankedEntry?
    public let topAudiobook: RankedEntry?
    public let busiestDay: TimelineBucket?
    public let peakHour: Int?
    public let peakWeekday: Int?
    /// Artists and songs first played in the period (all-time firsts), and the most played of
    /// the artists.
    public let newArtists: Int
    public let newTracks: Int
    public let topDiscoveries: [Discovery]
    public let longestStreak: Streak?
    /// With sessions split by pauses of more than 30 minutes.
    public let longestSession: ListeningSession?
}

public enum WrappedReports {
    /// The pause that ends a session in a review.
    public static let sessionGap: Int64 = 30 * 60_000

    public static func report(_ scope: HistoryScope, top: Int, in db: Database) throws -> WrappedReport {
        let parts = [RankingPart(.artists, scope.kinds), RankingPart(.tracks, scope.kinds), RankingPart(.albums, scope.kinds),
                     RankingPart(.artists, [.podcast]), RankingPart(.artists, [.audiobook])]
        let rankings = try RankingPart.rank(parts, scope: scope, limit: top, in: db)
        let empty = Ranking(entries: [], totalPlays: 0, totalMillis: 0)
        let artists = rankings[parts[0]] ?? empty, tracks = rankings[parts[1]] ?? empty, albums = rankings[parts[2]] ?? empty
        func topOf(_ kind: PlayKind) -> RankedEntry? { rankings[RankingPart(.artists, [kind])]?.entries.first }
        let profile = try TimeProfile.read(scope, in: db)
        let busiest = profile.dayPlays.indices.max { profile.dayPlays[$0] < profile.dayPlays[$1] }
            .flatMap { profile.dayPlays[$0] > 0 ? $0 : nil }
        var weekdays = [Int](repeating: 0, count: 7), hours = [Int](repeating: 0, count: 24)
        for cell in TimeReports.heatmap(profile) {
            weekdays[cell.weekday - 1] += cell.plays
            hours[cell.hour] += cell.plays
        }
        let played = artists.totalPlays > 0
        let (newArtists, newTracks) = try discoveries(scope, in: db)
        let today = ZoneClock(zone: scope.period.zone).localDate(of: scope.now)
        return WrappedReport(
            plays: artists.totalPlays, msPlayed: artists.totalMillis, topArtists: artists.entries, topTracks: tracks.entries,
            topAlbums: albums.entries, topPodcast: topOf(.podcast), topAudiobook: topOf(.audiobook),
            busiestDay: busiest.map { TimelineBucket(start: LocalDate(daysSinceEpoch: profile.firstDay + $0),
                                                     plays: profile.dayPlays[$0], msPlayed: profile.dayMillis[$0]) },
            peakHour: played ? (0..<24).max { hours[$0] < hours[$1] } : nil,
            peakWeekday: played ? (0..<7).max { weekdays[$0] < weekdays[$1] }.map { $0 + 1 } : nil,
            newArtists: newArtists.count, newTracks: newTracks,
            topDiscoveries: Array(newArtists.sorted { ($0.plays, $1.name) > ($1.plays, $0.name) }.prefix(top)),
            longestStreak: TimeReports.streaks(activeDays: profile.activeDays, today: today).longest,
            longestSession: Sessions.longest(try Sessions.find(scope, gapMillis: sessionGap, in: db)))
    }

    /// The artists first played in the period, and how many songs were, in one statement over
    /// the all-time firsts (two `discoveries` took a pass over them each).
    private static func discoveries(_ scope: HistoryScope, in db: Database) throws -> (artists: [Discovery], tracks: Int) {
        let firsts = scope.allTimeItemTotals()
        let measures = "min(c.first) AS first, sum(c.plays) AS plays"
        func groups(_ dimension: RankingDimension) -> String {
            scope.kinds.map { Rankings.groupSQL(dimension, $0, measures: measures, scope: scope) }.joined(separator: " UNION ALL ")
        }
        let bounds: StatementArguments = [scope.period.from ?? .min, scope.period.to ?? .max]
        let rows = try Row.fetchAll(db, sql: """
            WITH c AS MATERIALIZED (\(firsts.sql))
            SELECT 0 AS part, kind, name, first, plays FROM (\(groups(.artists))) WHERE first >= ? AND first < ?
            UNION ALL SELECT 1, NULL, NULL, NULL, count(*) FROM (\(groups(.tracks))) WHERE first >= ? AND first < ?
            ORDER BY part
            """, arguments: firsts.arguments + bounds + bounds)
        let artists = try rows.dropLast().map { row in
            Discovery(kind: PlayKind(rawValue: try row.decode(atIndex: 1)) ?? .music, name: try row.decode(atIndex: 2),
                      artist: nil, firstPlayed: try row.decode(atIndex: 3), plays: try row.decode(atIndex: 4))
        }
        return (artists, try rows.last?.decode(atIndex: 4) ?? 0)
    }
}

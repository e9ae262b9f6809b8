import Foundation
import GRDB

/// Counted plays and time in one local calendar month.
public struct MonthCount: Equatable, Sendable {
    /// The month's first day.
    public let month: LocalDate
    public let plays: Int
    public let msPlayed: Int64
}

/// One artist, song or album in depth (`history artist|track|album`).
public struct ItemProfile: Sendable {
    public let subject: ProfileSubject
    public let name: String
    public let artist: String?
    public let uris: [String]
    public let plays: Int
    public let msPlayed: Int64
    public let allTimePlays: Int
    public let allTimeMillis: Int64
    /// First and last counted play, all time.
    public let firstPlayed: EpochMillis?
    public let lastPlayed: EpochMillis?
    /// Its place among all artists (songs, albums) in the period, of `ranked`; `nil` unplayed.
    public let rank: Int?
    public let ranked: Int
    /// The artist's or album's songs, or the artists credited on a track (by their plays of it).
    public let top: [RankedEntry]
    public let months: [MonthCount]
    public let longestStreak: Streak?
}

/// Builds `ItemProfile`s. Totals come from the same counts as the rankings; local months and
/// active days from `play_months` (its `days` place each UTC day's plays in local days), with
/// raw plays only where a local month does not line up with a UTC one; other `--min-played`
/// thresholds read raw plays.
public enum ItemProfiles {
    public static func profile(_ subject: ProfileSubject, _ text: String, byArtist: String?, scope: HistoryScope, limit: Int,
                               in db: Database) throws -> ItemProfile {
        var music = scope
        music.kinds = [.music]
        let match = try ProfileMatcher.match(subject, text, byArtist: byArtist, scope: music, in: db)
        let items = "c.kind = 'music' AND c.item_id IN (\(match.trackList))"
        // The period's counts serve the item's top and its totals (one pass over them).
        let top = try topOfItem(subject, items, scope: music, limit: limit, in: db)
        var allTime = music
        allTime.period = PeriodSpec.all.resolve(now: scope.now, zone: scope.period.zone)
        let whole = try totals(allTime.itemCounts(), items, in: db)
        let bounds = music.allTimeItemTotals()
        let first = try Row.fetchOne(db, sql: "WITH c AS (\(bounds.sql)) SELECT min(first), max(last) FROM c WHERE \(items)",
                                     arguments: bounds.arguments)
        // The rank: the ranking's entry named as the rankings name this group.
        let ranking = try Rankings.rank(subject.dimension, by: .plays, scope: music, limit: nil, in: db)
        let named = try Row.fetchOne(db, sql: """
            WITH c AS (SELECT 'music' AS kind, id AS item_id FROM tracks WHERE id IN (\(match.trackList)))
            SELECT name, artist FROM (\(Rankings.groupSQL(subject.dimension, .music, measures: "count(*) AS n", scope: music)))
            ORDER BY n DESC
            """)
        let rankName: String? = try named?.decode(atIndex: 0), rankArtist: String? = try named?.decode(atIndex: 1)
        let rank = ranking.entries.first { $0.name == rankName && (subject == .artist || $0.artist == rankArtist) }?.rank
        let timeline = try ItemTimeline.read(trackList: match.trackList, scope: music, in: db)
        return ItemProfile(
            subject: subject, name: match.name, artist: match.artist, uris: match.uris, plays: top.totalPlays,
            msPlayed: top.totalMillis, allTimePlays: whole.plays, allTimeMillis: whole.millis,
            firstPlayed: try first?.decode(atIndex: 0), lastPlayed: try first?.decode(atIndex: 1), rank: top.totalPlays > 0 ? rank : nil,
            ranked: ranking.entries.count, top: top.entries, months: timeline.months,
            longestStreak: TimeReports.streaks(activeDays: timeline.activeDays,
                                         today: ZoneClock(zone: scope.period.zone).localDate(of: scope.now)).longest)
    }

    private static func totals(_ counts: (sql: String, arguments: StatementArguments), _ items: String,
                               in db: Database) throws -> (plays: Int, millis: Int64) {
        let row = try Row.fetchOne(db, sql: "WITH c AS (\(counts.sql)) SELECT sum(plays), sum(ms) FROM c WHERE \(items)",
                                   arguments: counts.arguments)
        return (try row?.decode(Int?.self, atIndex: 0) ?? 0, try row?.decode(Int64?.self, atIndex: 1) ?? 0)
    }

    /// An artist's or album's songs by plays in the period, or a track's credited artists, each
    /// with the track's plays; the totals are all the item's plays and time in the period.
    private static func topOfItem(_ subject: ProfileSubject, _ items: String, scope: HistoryScope, limit: Int,
                                  in db: Database) throws -> Ranking {
        let counts = scope.itemCounts()
        let measures = "sum(c.plays) AS plays, sum(c.ms) AS ms"
        let grouped: String
        if subject == .track {
            var credits = scope
            credits.artistCredits = .all
            grouped = Rankings.groupSQL(.artists, .music, measures: measures, scope: credits)
        } else {
            grouped = Rankings.groupSQL(.tracks, .music, measures: measures, scope: scope)
        }
        let rows = try Row.fetchAll(db, sql: """
            WITH all_counts AS MATERIALIZED (\(counts.sql)), c AS (SELECT * FROM all_counts c WHERE \(items))
            SELECT kind, name, artist, plays, ms, (SELECT sum(plays) FROM c) AS total_plays, (SELECT sum(ms) FROM c) AS total_ms
            FROM (\(grouped)) ORDER BY plays DESC, ms DESC, name LIMIT ?
            """, arguments: counts.arguments + [limit])
        return try Rankings.ranking(rows, measure: .plays, totalPlays: rows.first?.decode(forColumn: "total_plays") ?? 0,
                                    totalMillis: rows.first?.decode(forColumn: "total_ms") ?? 0)
    }
}

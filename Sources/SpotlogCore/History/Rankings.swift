import GRDB

/// What a ranking groups plays by.
public enum RankingDimension: String, Sendable, CaseIterable {
    /// Songs: items with the same normalised artist and title are one song, whichever source
    /// (and Spotify URI or local id) they came from. Podcast episodes and audiobook chapters alike.
    case tracks
    /// Artists (music), shows (podcasts), books (audiobooks).
    case artists
    /// Albums; music only, and only plays whose album is known (account data has none).
    case albums
}

/// What a ranking orders by.
public enum RankingMeasure: String, Sendable, CaseIterable {
    case plays
    /// Milliseconds played, summed.
    case time
}

/// One row of a ranking.
public struct RankedEntry: Equatable, Sendable {
    public let rank: Int
    public let kind: PlayKind
    public let name: String
    /// The artist, show or book of a track, episode, chapter or album; `nil` for artists.
    public let artist: String?
    public let plays: Int
    public let msPlayed: Int64
    /// This entry's share of all counted plays (or time, when ranked by time) in scope.
    public let share: Double
}

/// A ranking and the totals its shares are relative to.
public struct Ranking: Sendable {
    public let entries: [RankedEntry]
    public let totalPlays: Int
    public let totalMillis: Int64

    public init(entries: [RankedEntry], totalPlays: Int, totalMillis: Int64) {
        self.entries = entries
        self.totalPlays = totalPlays
        self.totalMillis = totalMillis
    }
}

/// Top tracks, artists and albums over a scope.
public enum Rankings {
    public static func rank(_ dimension: RankingDimension, by measure: RankingMeasure, scope: HistoryScope, limit: Int?,
                            in db: Database) throws -> Ranking {
        let counts = scope.itemCounts()
        let kinds = dimension == .albums ? scope.kinds.filter { $0 == .music } : scope.kinds
        guard !kinds.isEmpty else { return Ranking(entries: [], totalPlays: 0, totalMillis: 0) }
        let groups = kinds.map {
            groupSQL(dimension, $0, measures: "sum(c.plays) AS plays, sum(c.ms) AS ms", scope: scope)
        }
        let order = measure == .plays ? "plays DESC, ms DESC" : "ms DESC, plays DESC"
        var arguments = counts.arguments
        // One statement: the counts are computed once and serve both the groups and the totals.
        var sql = """
            WITH c AS MATERIALIZED (\(counts.sql))
            SELECT kind, name, artist, plays, ms, (SELECT sum(plays) FROM c) AS total_plays, (SELECT sum(ms) FROM c) AS total_ms
            FROM (\(groups.joined(separator: " UNION ALL "))) ORDER BY \(order), name, kind
            """
        if let limit {
            sql += " LIMIT ?"
            arguments += [limit]
        }
        let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
        return try ranking(rows, measure: measure, totalPlays: rows.first?.decode(forColumn: "total_plays") ?? 0,
                           totalMillis: rows.first?.decode(forColumn: "total_ms") ?? 0)
    }

    /// Ranked entries from rows `(kind, name, artist, plays, ms)` already in order.
    static func ranking(_ rows: [Row], measure: RankingMeasure, totalPlays: Int, totalMillis: Int64) throws -> Ranking {
        let entries = try rows.enumerated().map { index, row in
            let plays: Int = try row.decode(forColumn: "plays"), ms: Int64 = try row.decode(forColumn: "ms")
            let share = measure == .plays ? (totalPlays > 0 ? Double(plays) / Double(totalPlays) : 0)
                : (totalMillis > 0 ? Double(ms) / Double(totalMillis) : 0)
            return RankedEntry(rank: index + 1, kind: PlayKind(rawValue: try row.decode(forColumn: "kind")) ?? .music,
                               name: try row.decode(forColumn: "name"), artist: try row.decode(forColumn: "artist"),
                               plays: plays, msPlayed: ms, share: share)
        }
        return Ranking(entries: entries, totalPlays: totalPlays, totalMillis: totalMillis)
    }

    /// The grouping query of one kind over a relation `c(kind, item_id, ...)`: rows
    /// `(kind, name, artist, <measures>)`, where `measures` aggregates columns of `c`.
    /// Artists are named and grouped as `artist_aliases` say (a merged artist counts as the one
    /// it was merged into); a track counts for its primary artist, or for each credited artist
    /// when the scope asks for all credits.
    static func groupSQL(_ dimension: RankingDimension, _ kind: PlayKind, measures sums: String, scope: HistoryScope)
        -> String {
        let onKind = "c.kind = '\(kind.rawValue)'"
        let apart = scope.trackGrouping == .versions
        switch (dimension, kind) {
        case (.tracks, .music):
            return """
                SELECT 'music' AS kind, min(t.name) AS name, min(coalesce(aa.artist_name, a.name)) AS artist, \(sums)
                FROM c JOIN tracks t ON \(onKind) AND t.id = c.item_id
                LEFT JOIN track_artists ta ON ta.track_id = t.id AND ta.position = 0
                LEFT JOIN artists a ON a.id = ta.artist_id LEFT JOIN artist_aliases aa ON aa.alias_key = a.name_key
                GROUP BY \(apart ? "t.id" : "t.song_key")
                """
        case (.tracks, .podcast):
            return """
                SELECT 'podcast' AS kind, min(e.name) AS name, min(s.name) AS artist, \(sums)
                FROM c JOIN episodes e ON \(onKind) AND e.id = c.item_id LEFT JOIN shows s ON s.id = e.show_id
                GROUP BY \(apart ? "e.id" : "e.match_key")
                """
        case (.tracks, .audiobook):
            return """
                SELECT 'audiobook' AS kind, min(ch.title) AS name, min(b.title) AS artist, \(sums)
                FROM c JOIN chapters ch ON \(onKind) AND ch.id = c.item_id LEFT JOIN audiobooks b ON b.id = ch.audiobook_id
                GROUP BY \(apart ? "ch.id" : "ch.match_key")
                """
        case (.artists, .music) where scope.artistCredits == .all:
            // Each artist a track credits, once, even when two of them are merged into one.
            return """
                SELECT 'music' AS kind, coalesce(min(x.artist_name), '(unknown artist)') AS name, NULL AS artist, \(sums)
                FROM c LEFT JOIN (
                  SELECT DISTINCT ta.track_id, coalesce(aa.artist_key, a.name_key) AS artist_key,
                         coalesce(aa.artist_name, a.name) AS artist_name
                  FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
                  LEFT JOIN artist_aliases aa ON aa.alias_key = a.name_key) x ON x.track_id = c.item_id
                WHERE \(onKind) GROUP BY x.artist_key
                """
        case (.artists, .music):
            return """
                SELECT 'music' AS kind, coalesce(min(coalesce(aa.artist_name, a.name)), '(unknown artist)') AS name,
                       NULL AS artist, \(sums)
                FROM c LEFT JOIN track_artists ta ON ta.track_id = c.item_id AND ta.position = 0
                LEFT JOIN artists a ON a.id = ta.artist_id LEFT JOIN artist_aliases aa ON aa.alias_key = a.name_key
                WHERE \(onKind) GROUP BY coalesce(aa.artist_key, a.name_key)
                """
        case (.artists, .podcast):
            return """
                SELECT 'podcast' AS kind, coalesce(min(s.name), '(unknown show)') AS name, NULL AS artist, \(sums)
                FROM c JOIN episodes e ON \(onKind) AND e.id = c.item_id LEFT JOIN shows s ON s.id = e.show_id
                GROUP BY s.id
                """
        case (.artists, .audiobook):
            return """
                SELECT 'audiobook' AS kind, coalesce(min(b.title), '(unknown book)') AS name, NULL AS artist, \(sums)
                FROM c JOIN chapters ch ON \(onKind) AND ch.id = c.item_id LEFT JOIN audiobooks b ON b.id = ch.audiobook_id
                GROUP BY b.id
                """
        case (.albums, _):
            return """
                SELECT 'music' AS kind, min(al.name) AS name, min(a.name) AS artist, \(sums)
                FROM c JOIN tracks t ON c.kind = 'music' AND t.id = c.item_id JOIN albums al ON al.id = t.album_id
                LEFT JOIN artists a ON a.id = al.artist_id
                GROUP BY al.id
                """
        }
    }
}

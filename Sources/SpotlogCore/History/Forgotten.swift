import GRDB

/// A song (or artist) played often once and not since the cut-off.
public struct ForgottenItem: Equatable, Sendable {
    public let kind: PlayKind
    public let name: String
    /// The artist, for songs.
    public let artist: String?
    /// Counted plays, all time (all of them before the cut-off).
    public let plays: Int
    public let lastPlayed: EpochMillis
}

/// Favourites you forgot: songs or artists with at least `minPlays` counted plays, the last of
/// them before `cutOff`. Songs and artists are grouped as in the rankings (versions, aliases,
/// credits). All time, whatever the period: the question is about the whole history.
public enum Forgotten {
    public static func find(_ dimension: RankingDimension, scope: HistoryScope, minPlays: Int, cutOff: EpochMillis,
                            limit: Int, in db: Database) throws -> [ForgottenItem] {
        let perItem = scope.allTimeItemTotals()
        var arguments = perItem.arguments
        let groups = scope.kinds.filter { dimension != .albums || $0 == .music }
            .map { Rankings.groupSQL(dimension, $0, measures: "sum(c.plays) AS plays, max(c.last) AS last", scope: scope) }
        guard !groups.isEmpty else { return [] }
        arguments += [cutOff, minPlays, limit]
        let rows = try Row.fetchAll(db, sql: """
            WITH c AS MATERIALIZED (\(perItem.sql))
            SELECT kind, name, artist, plays, last FROM (\(groups.joined(separator: " UNION ALL ")))
            WHERE last < ? AND plays >= ? ORDER BY plays DESC, last DESC, name LIMIT ?
            """, arguments: arguments)
        return try rows.map { row in
            ForgottenItem(kind: PlayKind(rawValue: try row.decode(forColumn: "kind")) ?? .music,
                          name: try row.decode(forColumn: "name"), artist: try row.decode(forColumn: "artist"),
                          plays: try row.decode(forColumn: "plays"), lastPlayed: try row.decode(forColumn: "last"))
        }
    }
}

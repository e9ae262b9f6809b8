import GRDB

/// Several rankings of one period from one statement, which computes the period's counts once
/// (each ranking on its own took a pass over them): `compare` and `wrapped` need three to five.
/// Each part is cut to its top by a top-N sort before it is numbered (numbering every group
/// first took all-time `wrapped` 25 ms a statement instead of 5).
struct RankingPart: Hashable {
    let dimension: RankingDimension
    let kinds: [PlayKind]

    /// The `dimension` ranking of `kinds` (albums: music only).
    init(_ dimension: RankingDimension, _ kinds: [PlayKind]) {
        self.dimension = dimension
        self.kinds = dimension == .albums ? kinds.filter { $0 == .music } : kinds
    }

    /// Ranks each part by plays over `scope`'s period (its kinds are the parts'), the first
    /// `limit` entries of each (all when `nil`); shares and totals are those of the part's kinds.
    static func rank(_ parts: [RankingPart], scope: HistoryScope, limit: Int?, in db: Database) throws -> [RankingPart: Ranking] {
        var every = scope
        every.kinds = PlayKind.allCases.filter { kind in parts.contains { $0.kinds.contains(kind) } }
        let counts = every.itemCounts()
        let measures = "sum(c.plays) AS plays, sum(c.ms) AS ms"
        let selects = parts.enumerated().filter { !$0.element.kinds.isEmpty }.map { index, part in
            let groups = part.kinds.map { Rankings.groupSQL(part.dimension, $0, measures: measures, scope: scope) }
            let kinds = part.kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            return """
                SELECT \(index) AS part, kind, name, artist, plays, ms, position,
                       (SELECT sum(plays) FROM c WHERE kind IN (\(kinds))) AS total_plays,
                       (SELECT sum(ms) FROM c WHERE kind IN (\(kinds))) AS total_ms
                FROM (SELECT *, row_number() OVER (ORDER BY plays DESC, ms DESC, name, kind) AS position
                      FROM (SELECT * FROM (\(groups.joined(separator: " UNION ALL ")))
                            ORDER BY plays DESC, ms DESC, name, kind LIMIT \(limit ?? -1)))
                """
        }
        var rankings: [RankingPart: Ranking] = [:]
        for part in parts { rankings[part] = Ranking(entries: [], totalPlays: 0, totalMillis: 0) }
        guard !selects.isEmpty else { return rankings }
        let rows = try Row.fetchAll(db, sql: """
            WITH c AS MATERIALIZED (\(counts.sql)) \(selects.joined(separator: " UNION ALL ")) ORDER BY part, position
            """, arguments: counts.arguments)
        for (index, part) in parts.enumerated() {
            let own = rows.filter { $0["part"] == index }
            rankings[part] = try Rankings.ranking(own, measure: .plays, totalPlays: own.first?["total_plays"] ?? 0,
                                                  totalMillis: own.first?["total_ms"] ?? 0)
        }
        return rankings
    }
}

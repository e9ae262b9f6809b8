import GRDB

/// A song by how often it was skipped.
public struct SkippedItem: Equatable, Sendable {
    public let kind: PlayKind
    public let name: String
    public let artist: String?
    public let skips: Int
    /// Its plays with skip data.
    public let plays: Int
    public var rate: Double { plays > 0 ? Double(skips) / Double(plays) : 0 }
}

/// What you skip (`history skips`).
public struct SkipReport: Sendable {
    /// Every play in the period, however short.
    public let plays: Int
    /// The plays whose record says whether they were skipped (the extended export's); the rate
    /// is over these only.
    public let judged: Int
    public let skipped: Int
    public var rate: Double { judged > 0 ? Double(skipped) / Double(judged) : 0 }
    public let mostSkipped: [SkippedItem]
}

/// Skips come from the export's `skipped` field; account data and the Web API do not say, so
/// their plays are left out of the rate. `--min-played` does not apply: a skip is usually short.
/// Read from `play_months` skip counts and raw plays at the period's edges.
public enum Skips {
    public static func report(_ scope: HistoryScope, limit: Int, in db: Database) throws -> SkipReport {
        let skips = scope.itemSkips()
        let groups = scope.kinds.map {
            Rankings.groupSQL(.tracks, $0, measures: "sum(c.judged) AS judged, sum(c.skipped) AS skipped", scope: scope)
        }
        let rows = try Row.fetchAll(db, sql: """
            WITH c AS MATERIALIZED (
              SELECT kind, item_id, sum(judged) AS judged, sum(skipped) AS skipped FROM (\(skips.sql)) GROUP BY kind, item_id)
            SELECT kind, name, artist, judged, skipped, (SELECT sum(judged) FROM c) AS all_judged,
                   (SELECT sum(skipped) FROM c) AS all_skipped
            FROM (\(groups.joined(separator: " UNION ALL "))) WHERE skipped > 0
            ORDER BY skipped DESC, skipped * 1.0 / judged DESC, name, kind LIMIT ?
            """, arguments: skips.arguments + [limit])
        var totals = (judged: 0, skipped: 0)
        if let row = rows.first {
            totals = (try row.decode(forColumn: "all_judged"), try row.decode(forColumn: "all_skipped"))
        } else {
            let row = try Row.fetchOne(db, sql: "WITH c AS (\(skips.sql)) SELECT sum(judged), sum(skipped) FROM c",
                                       arguments: skips.arguments)
            totals = (try row?.decode(Int?.self, atIndex: 0) ?? 0, try row?.decode(Int?.self, atIndex: 1) ?? 0)
        }
        return SkipReport(
            plays: try allPlays(scope, in: db), judged: totals.judged, skipped: totals.skipped,
            mostSkipped: try rows.map { row in
                SkippedItem(kind: PlayKind(rawValue: try row.decode(forColumn: "kind")) ?? .music,
                            name: try row.decode(forColumn: "name"), artist: try row.decode(forColumn: "artist"),
                            skips: try row.decode(forColumn: "skipped"), plays: try row.decode(forColumn: "judged"))
            })
    }

    /// Every play in scope, however short: `play_days` for the whole UTC days in the period, raw
    /// plays in the days it cuts.
    static func allPlays(_ scope: HistoryScope, in db: Database) throws -> Int {
        var everyLength = scope
        everyLength.minPlayedMillis = 0
        func raw(_ range: Range<EpochMillis>?) throws -> Int {
            guard let range else { return 0 }
            let condition = everyLength.playsCondition(from: range.lowerBound, to: range.upperBound)
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM plays WHERE \(condition.sql)", arguments: condition.arguments) ?? 0
        }
        guard let days = scope.wholeDays() else {
            let condition = everyLength.playsCondition
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM plays WHERE \(condition.sql)", arguments: condition.arguments) ?? 0
        }
        let whole = try Int.fetchOne(db, sql: "SELECT coalesce(sum(plays), 0) FROM play_days WHERE \(days.condition.sql)",
                                     arguments: days.condition.arguments) ?? 0
        return whole + (try raw(days.before)) + (try raw(days.after))
    }
}

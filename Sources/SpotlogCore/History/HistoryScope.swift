import Foundation
import GRDB

/// What a history query looks at: whose plays, of which kinds, how long a play must be to count,
/// and over which period.
///
/// Overview of `History/`: every query takes a `HistoryScope` (its period resolved in a zone
/// by `PeriodSpec`/`ZoneClock`) and reads inside one snapshot, returning typed values.
/// - Rollups (`Rollups`, kept by `RollupAccumulator` in the ledger's transactions, rebuilt by
///   `RollupBuilder`) answer the default 30 s threshold in milliseconds: per item all time
///   (`play_totals`), per UTC month (`play_months`), per UTC day and quarter-hour (`play_days`,
///   which re-bucket into any zone's local hours).
/// - Raw plays answer everything else, filtered by `playsCondition` (the one definition of
///   "in scope"). `HistoryRollupAgreementTests` keeps the two paths equal.
/// - Queries: `Rankings` (top artists, tracks, albums), `TimeProfile` and `TimeReports`
///   (heatmap, timeline, streaks), `SummaryReports` (summary, repeat rate, coverage,
///   discoveries), `PlayListing` (recent, search).
/// Where to change what: a new query goes beside its kind; a new rollup needs the accumulator,
/// the builder, a migration and an agreement test.
public struct HistoryScope: Sendable {
    /// Whether a song's versions (remasters, tracks of one ISRC; see `SongKey`) count as one.
    public enum TrackGrouping: Sendable { case songs, versions }
    /// Which artists of a track count in artist answers: its primary artist, or every artist
    /// the Web API credits (known once enrichment has the track's artists).
    public enum ArtistCredits: String, Sendable, CaseIterable { case primary, all }

    public var userID: Int64
    public var kinds: [PlayKind]
    /// Plays shorter than this are not counted (Spotify counts a stream from 30 s).
    public var minPlayedMillis: Int64
    public var period: ResolvedPeriod
    /// "Now", for periods relative to today and current streaks.
    public var now: EpochMillis
    /// How per-track answers count: each song once (its versions together), or each track.
    public var trackGrouping = TrackGrouping.songs
    public var artistCredits = ArtistCredits.primary

    public init(userID: Int64, kinds: [PlayKind] = [.music], minPlayedMillis: Int64 = Rollups.countedMillis,
                period: ResolvedPeriod, now: EpochMillis = .now()) {
        self.userID = userID
        self.kinds = kinds
        self.minPlayedMillis = minPlayedMillis
        self.period = period
        self.now = now
    }

    /// Whether the rollups (which count plays of at least 30 s) can answer.
    var usesRollups: Bool { minPlayedMillis == Rollups.countedMillis }

    var kindList: String { kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ") }

    /// The plays in scope as one SQL condition on `plays`, with its arguments: the user, the
    /// period (narrowed to `from`..<`to` when a query reads part of it), the kinds and the
    /// shortest counted play. Every query that reads raw plays filters with it, so all agree on
    /// what "in scope" means.
    func playsCondition(from: EpochMillis?, to: EpochMillis?) -> (sql: String, arguments: StatementArguments) {
        var sql = "user_id = ?"
        var arguments: StatementArguments = [userID]
        if let from { sql += " AND played_at >= ?"; arguments += [from] }
        if let to { sql += " AND played_at < ?"; arguments += [to] }
        sql += " AND kind IN (\(kindList)) AND ms_played >= ?"
        arguments += [minPlayedMillis]
        return (sql, arguments)
    }

    /// `playsCondition` over the whole period.
    var playsCondition: (sql: String, arguments: StatementArguments) { playsCondition(from: period.from, to: period.to) }

    /// The period as whole UTC days, for rollups kept per day, and the parts of days it cuts,
    /// to read from `plays`; `nil` when it holds no whole day.
    struct WholeDays {
        /// A condition on a per-day rollup (`user_id`, `kind`, `day`) for the whole days.
        let condition: (sql: String, arguments: StatementArguments)
        /// The period's instants before its first whole day and after its last.
        let before: Range<EpochMillis>?, after: Range<EpochMillis>?
    }

    func wholeDays() -> WholeDays? {
        let day = Rollups.millisPerDay
        let first = period.from.map { ($0 + day - 1).floorDivided(by: day) }  // the first whole day
        let end = period.to.map { $0.floorDivided(by: day) }                   // whole days end before it
        if let first, let end, first >= end { return nil }
        var sql = "user_id = ? AND kind IN (\(kindList))"
        var arguments: StatementArguments = [userID]
        if let first { sql += " AND day >= ?"; arguments += [first] }
        if let end { sql += " AND day < ?"; arguments += [end] }
        let before = period.from.flatMap { from in first.map { from..<$0 * day } }.flatMap { $0.isEmpty ? nil : $0 }
        let after = period.to.flatMap { to in end.map { $0 * day..<to } }.flatMap { $0.isEmpty ? nil : $0 }
        return WholeDays(condition: (sql, arguments), before: before, after: after)
    }

    /// SQL for the counted plays per item of all time (whatever the period), as rows
    /// `(kind, item_id, plays, first, last)`: from `play_totals` at the default threshold, else
    /// from raw plays.
    func allTimeItemTotals() -> (sql: String, arguments: StatementArguments) {
        if usesRollups {
            return ("""
                SELECT kind, item_id, plays, first_played_at AS first, last_played_at AS last FROM play_totals
                WHERE user_id = ? AND kind IN (\(kindList))
                """, [userID])
        }
        let allTime = playsCondition(from: nil, to: nil)
        return ("""
            SELECT kind, item_id, count(*) AS plays, min(played_at) AS first, max(played_at) AS last FROM plays
            WHERE \(allTime.sql) GROUP BY kind, item_id
            """, allTime.arguments)
    }

    /// SQL for the counted plays per item in scope, as rows `(kind, item_id, plays, ms)` (one per
    /// item with plays), with its arguments. All time comes from `play_totals`; a period from
    /// `play_months` and raw plays at its edges (see `monthsAndEdges`); another `--min-played`
    /// from raw plays. Summed per item before anything joins the catalogue to them: a year's
    /// month rows and edge plays are thousands of rows for hundreds of items (`compare --period
    /// 1y` on 1M plays: 36 to 14 ms a statement, in sqlite3).
    func itemCounts() -> (sql: String, arguments: StatementArguments) {
        if usesRollups && period.from == nil && period.to == nil {
            return ("SELECT kind, item_id, plays, ms_played AS ms FROM play_totals WHERE user_id = ? AND kind IN (\(kindList))",
                    [userID])
        }
        let rows = monthsAndEdges(months: ("kind, item_id, plays, ms_played AS ms", "plays > 0"),
                                  raw: ({ "kind, item_id, \($0) AS plays, \($0) * ms_played AS ms" }, nil), rawAlways: !usesRollups)
        return ("""
            SELECT kind, item_id, sum(plays) AS plays, sum(ms) AS ms FROM (\(rows.sql)) GROUP BY kind, item_id
            HAVING sum(plays) > 0
            """, rows.arguments)
    }

    /// SQL for the plays with skip data per item in scope, as rows `(kind, item_id, judged,
    /// skipped)`, whatever their length (a skip is usually short): from `play_months` and raw
    /// plays at the period's edges.
    func itemSkips() -> (sql: String, arguments: StatementArguments) {
        var everyLength = self
        everyLength.minPlayedMillis = 0
        return everyLength.monthsAndEdges(
            months: ("kind, item_id, judged, skipped", "judged > 0"),
            raw: ({ "kind, item_id, \($0) AS judged, \($0) * (\(PlayFlags.skippedSQL) = 2) AS skipped" },
                  "\(PlayFlags.skippedSQL) <> 0"),
            rawAlways: false)
    }

    /// The union of `months.columns` of `play_months` rows (that match `months.filter`) and of
    /// `raw.columns(sign)` of raw plays in scope (that match `raw.filter`), whose sums per item
    /// are the period's. Where the period starts or ends inside a UTC month, the month's raw
    /// plays in the period are added (sign 1), or, when fewer, the month's row is taken and its
    /// plays outside the period subtracted (sign -1): `--period 2025` in Berlin ends an hour
    /// before a UTC month does. Raw plays alone when `rawAlways`.
    private func monthsAndEdges(months: (columns: String, filter: String), raw rawPart: (columns: (Int) -> String, filter: String?),
                                rawAlways: Bool) -> (sql: String, arguments: StatementArguments) {
        func raw(_ from: EpochMillis?, _ to: EpochMillis?, sign: Int = 1) -> (String, StatementArguments) {
            let condition = playsCondition(from: from, to: to)
            return ("SELECT \(rawPart.columns(sign)) FROM plays WHERE \(condition.sql)\(rawPart.filter.map { " AND \($0)" } ?? "")",
                    condition.arguments)
        }
        guard !rawAlways else { return raw(period.from, period.to) }
        var parts: [(String, StatementArguments)] = []
        var low = Int.min, high = Int.max  // the month rows taken: low ..< high
        if let from = period.from {
            let month = Rollups.month(of: from), start = Rollups.start(ofMonth: month), next = Rollups.start(ofMonth: month + 1)
            if from == start {
                low = month
            } else if from - start < next - from {
                low = month
                parts.append(raw(start, from, sign: -1))
            } else {
                low = month + 1
                parts.append(raw(from, next))
            }
        }
        if let to = period.to {
            let month = Rollups.month(of: to), start = Rollups.start(ofMonth: month), next = Rollups.start(ofMonth: month + 1)
            if to == start {
                high = month
            } else if next - to < to - start {
                high = month + 1
                parts.append(raw(to, next, sign: -1))
            } else {
                high = month
                parts.append(raw(start, to))
            }
        }
        guard low < high else { return raw(period.from, period.to) }
        parts.insert(("SELECT \(months.columns) FROM play_months WHERE user_id = ? AND month >= ? AND month < ?"
                         + " AND kind IN (\(kindList)) AND \(months.filter)",
                      [userID, max(low, -1_000_000), min(high, 1_000_000)]), at: 0)
        var arguments = StatementArguments()
        for part in parts { arguments += part.1 }
        return (parts.map(\.0).joined(separator: " UNION ALL "), arguments)
    }
}

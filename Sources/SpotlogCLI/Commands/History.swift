import Foundation
import GRDB
import SpotlogCore

/// `spotlog history <query>`: questions about the listening history, answered offline.
enum HistoryCommand {
    static let period = OptionSpec(
        "period", .period, default: "all",
        help: "the period: 7d, 4w, 6m or 1y (ending today), all, a year (2024) or a month (2024-05)")
    static let from = OptionSpec("from", .date, help: "the first day of the period (YYYY-MM-DD, in --tz), instead of --period")
    static let to = OptionSpec("to", .date, help: "the last day of the period, included")
    static let zone = OptionSpec(
        "tz", .timeZone, environment: "TZ",
        help: "time zone for periods, days and hours (IANA name; default: the system zone)")
    static let limit = OptionSpec("limit", short: "n", .integer(min: 1, max: 100_000), default: "10", help: "how many rows")
    static let kind = OptionSpec(
        "kind", .choice(["music", "podcast", "audiobook", "all"]), default: "music", help: "what to count")
    static let minPlayed = OptionSpec(
        "min-played", .duration, default: "30s",
        help: "count plays at least this long (Spotify counts a stream from 30s; 0 counts every play)")
    static let by = OptionSpec("by", .choice(RankingMeasure.allCases.map(\.rawValue)), default: "plays",
                               help: "rank or draw by number of plays or by time played")

    static let spec = CommandSpec(
        "history", summary: "answer questions about your listening history",
        discussion: """
            Every query works offline on the local database. Periods, days, weekdays and hours are those of \
            --tz (DST-correct). A play counts when it lasted at least --min-played (30s by default, like \
            Spotify's own stream count). With --json every query prints an object with "schema_version", \
            "query", "user", "period" ({"label", "from", "to", "tz"}, instants as ISO 8601 with the zone's \
            offset, null when open), "kind", "min_played_ms" and the fields listed for each query.
            Set SPOTLOG_NOW (an ISO 8601 instant) to fix "today" for reproducible output.
            """,
        options: [period, from, to, zone, limit, kind, minPlayed],
        subcommands: HistoryListCommands.all + HistoryTimeCommands.all + HistoryOverviewCommands.all)

    /// The scope the options describe, or `nil` when the database has no user yet.
    static func scope(_ context: CommandContext) throws -> (scope: HistoryScope, user: String)? {
        let invocation = context.invocation
        guard let user = try UserDirectory(database: try context.openDatabase(.readOnly)).resolve(context.userHandle) else {
            return nil
        }
        let timeZone = try invocation.timeZone(zone) ?? TimeZone.current
        let zoneName = invocation.string(zone).map { $0.hasPrefix(":") ? String($0.dropFirst()) : $0 } ?? timeZone.identifier
        let now = try Self.now(context.environment)
        let spec: PeriodSpec
        if invocation.isGiven(from) || invocation.isGiven(to) {
            if invocation.isGiven(period) { throw SpotlogError.usage("--period cannot be combined with --from or --to") }
            let first = try invocation.date(from), last = try invocation.date(to)
            if let first, let last, last < first { throw SpotlogError.usage("--to \(last) is before --from \(first)") }
            spec = .dates(from: first, to: last)
        } else {
            spec = try invocation.period(period) ?? .all
        }
        let kindWord = invocation.string(kind) ?? "music"
        var period = spec.resolve(now: now, zone: timeZone)
        period.zoneName = zoneName
        let scope = HistoryScope(
            userID: try user.rowID, kinds: kindWord == "all" ? PlayKind.allCases : [PlayKind(rawValue: kindWord) ?? .music],
            minPlayedMillis: try invocation.durationMillis(minPlayed) ?? Rollups.countedMillis,
            period: period, now: now)
        return (scope, user.name)
    }

    /// "Now": `SPOTLOG_NOW` when set (for reproducible output), else the clock.
    static func now(_ environment: [String: String]) throws -> EpochMillis {
        guard let text = environment["SPOTLOG_NOW"], !text.isEmpty else { return .now() }
        guard let instant = EpochMillis(iso8601: text) else {
            throw SpotlogError.configuration("SPOTLOG_NOW must be an ISO 8601 instant such as 2024-05-01T12:00:00Z")
        }
        return instant
    }

    /// Runs a query: resolves the scope, reads inside one snapshot, prints the result; with no
    /// user yet, prints the empty answer.
    static func run(_ context: CommandContext, query: String,
                    _ answer: (HistoryScope, HistoryView.Header, Database) throws -> CommandOutput) throws {
        guard let (scope, user) = try scope(context) else {
            let header = HistoryView.Header(query: query, user: nil, scope: nil)
            try context.emit(HistoryView.empty(header))
            return
        }
        let header = HistoryView.Header(query: query, user: user, scope: scope)
        let output = try context.openDatabase(.readOnly).reader.read { db in try answer(scope, header, db) }
        try context.emit(output)
    }
}

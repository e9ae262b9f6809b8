import Foundation

/// The parameters history queries share, and how they become a `HistoryScope`.
public enum HistoryParameters {
    public static let period = QueryParameter(
        "period", .period, default: "all",
        help: "the period: 7d, 4w, 6m or 1y (ending today), all, a year (2024) or a month (2024-05)")
    public static let from = QueryParameter("from", .date, help: "the first day of the period (YYYY-MM-DD, in the time zone), instead of a period")
    public static let to = QueryParameter("to", .date, help: "the last day of the period, included")
    public static let zone = QueryParameter(
        "tz", .timeZone, help: "time zone for periods, days and hours (IANA name; default: the system zone)")
    public static let kind = QueryParameter("kind", .choice(["music", "podcast", "audiobook", "all"]), default: "music",
                                            help: "what to count")
    public static let minPlayed = QueryParameter(
        "min-played", .duration, default: "30s",
        help: "count plays at least this long (Spotify counts a stream from 30s; 0 counts every play)")
    public static let limit = QueryParameter("limit", .integer(min: 1, max: 100_000), default: "10", help: "how many rows")

    /// What every query takes to build its scope.
    public static let scope = [period, from, to, zone, kind, minPlayed]

    public static let by = QueryParameter("by", .choice(RankingMeasure.allCases.map(\.rawValue)), default: "plays",
                                          help: "rank or draw by number of plays or by time played")

    public static let versions = QueryParameter(
        "versions", .flag,
        help: "count each Spotify track apart (by default the versions of a song, such as remasters, count as one song)")

    public static let credits = QueryParameter(
        "credits", .choice(HistoryScope.ArtistCredits.allCases.map(\.rawValue)), default: "primary",
        help: "count a track for its primary artist, or for every credited artist (featured artists, once enrichment has them)")

    /// The scope `arguments` describe for the user `userID`, relative to `now`.
    public static func scope(_ arguments: QueryArguments, userID: Int64, now: EpochMillis) throws -> HistoryScope {
        let timeZone = arguments.timeZone(zone) ?? TimeZone.current
        let zoneName = arguments.string(zone).map { $0.hasPrefix(":") ? String($0.dropFirst()) : $0 } ?? timeZone.identifier
        let spec: PeriodSpec
        if arguments.isGiven(from) || arguments.isGiven(to) {
            if arguments.isGiven(period) {
                throw SpotlogError.usage(
                    "\(arguments.spelled(period)) cannot be combined with \(arguments.spelled(from)) or \(arguments.spelled(to))")
            }
            let first = arguments.date(from), last = arguments.date(to)
            if let first, let last, last < first {
                throw SpotlogError.usage("\(arguments.spelled(to)) \(last) is before \(arguments.spelled(from)) \(first)")
            }
            spec = .dates(from: first, to: last)
        } else {
            spec = arguments.period(period) ?? .all
        }
        let kindWord = arguments.string(kind) ?? "music"
        var resolved = spec.resolve(now: now, zone: timeZone)
        resolved.zoneName = zoneName
        var scope = HistoryScope(
            userID: userID, kinds: kindWord == "all" ? PlayKind.allCases : [PlayKind(rawValue: kindWord) ?? .music],
            minPlayedMillis: arguments.durationMillis(minPlayed) ?? Rollups.countedMillis, period: resolved, now: now)
        if arguments.isGiven(versions) { scope.trackGrouping = .versions }
        scope.artistCredits = arguments.string(credits).flatMap(HistoryScope.ArtistCredits.init(rawValue:)) ?? .primary
        return scope
    }

    /// "Now": `SPOTLOG_NOW` when set (for reproducible output), else the clock.
    public static func now(_ environment: [String: String]) throws -> EpochMillis {
        guard let text = environment[EnvironmentVariable.now] else { return .now() }
        guard let instant = EpochMillis(iso8601: text) else {
            throw SpotlogError.configuration("SPOTLOG_NOW must be an ISO 8601 instant such as 2024-05-01T12:00:00Z")
        }
        return instant
    }
}

/// How you listen: `skips` and `sessions`.
public enum HabitQueries {
    public static let skips = HistoryQuery<SkipsBody>(
        "skips", tool: "skips",
        summary: "skip rate and the most-skipped songs, from the export's skip data (--min-played does not apply)",
        parameters: [HistoryParameters.limit, HistoryParameters.versions],
        schema: .object([
            "plays": .integer("every play in the period, however short"),
            "judged": .integer("plays whose record says whether they were skipped; account data and the Web API do not"),
            "skipped": .integer(), "rate": .number("skipped / judged"),
            "items": .array(.object([
                "rank": .integer(), "kind": .oneOf(PlayKind.allCases.map(\.rawValue)), "name": .string(),
                "artist": .nullable(.string()), "skips": .integer(), "plays": .integer("plays with skip data"),
                "rate": .number("skips / plays"),
            ]), "most skipped first"),
        ])
    ) { arguments, scope, db in
        let report = try Skips.report(scope, limit: arguments.integer(HistoryParameters.limit) ?? 10, in: db)
        return SkipsBody(plays: report.plays, judged: report.judged, skipped: report.skipped,
                         rate: HistoryScope.rounded(report.rate), items: report.mostSkipped.enumerated().map { index, item in
            SkipsBody.Item(rank: index + 1, kind: item.kind.rawValue, name: item.name, artist: item.artist, skips: item.skips,
                           plays: item.plays, rate: HistoryScope.rounded(item.rate))
        })
    }

    public static let gap = QueryParameter("gap", .duration, default: "30m",
                                           help: "a pause longer than this (after the latest end so far) starts a new session")

    public static let sessions = HistoryQuery<SessionsBody>(
        "sessions", tool: "sessions",
        summary: "listening sessions: how many, how long, plays per session, and when they start",
        parameters: [gap],
        schema: .object([
            "gap_ms": .integer(), "sessions": .integer(), "plays": .integer(),
            "median_ms": .integer("median session length"), "longest": .nullable(SessionItem.schema),
            "median_plays": .integer("plays in the median session"), "mean_plays": .number(),
            "by_weekday": .array(.integer(), "sessions started on each weekday, Monday first"),
            "by_hour": .array(.integer(), "sessions started in each local hour, 0-23"),
        ])
    ) { arguments, scope, db in
        guard let gapMillis = arguments.durationMillis(gap), gapMillis > 0 else {
            throw SpotlogError.usage("\(arguments.spelled(gap)) must be longer than 0 (30m, 1h)")
        }
        let report = try Sessions.report(scope, gapMillis: gapMillis, in: db)
        return SessionsBody(
            gapMs: gapMillis, sessions: report.sessions, plays: report.plays, medianMs: report.medianMillis,
            longest: report.longest.map { SessionItem($0, scope: scope) }, medianPlays: report.medianPlays,
            meanPlays: report.sessions > 0 ? HistoryScope.rounded(Double(report.plays) / Double(report.sessions), places: 100) : 0,
            byWeekday: report.byWeekday, byHour: report.byHour)
    }
}

public struct SkipsBody: Encodable, Sendable {
    public struct Item: Encodable, Sendable {
        public let rank: Int
        public let kind: String
        public let name: String
        public let artist: String?
        public let skips: Int
        public let plays: Int
        public let rate: Double
    }
    public let plays: Int
    public let judged: Int
    public let skipped: Int
    public let rate: Double
    public let items: [Item]
}

/// One listening session as documents show it.
public struct SessionItem: Encodable, Sendable {
    public let start: String
    public let end: String
    public let lengthMs: Int64
    public let plays: Int

    init(_ session: ListeningSession, scope: HistoryScope) {
        start = scope.iso8601(session.start) ?? ""
        end = scope.iso8601(session.end) ?? ""
        lengthMs = session.millis
        plays = session.plays
    }

    static let schema = DocumentSchema.object([
        "start": .string("ISO 8601"), "end": .string("ISO 8601"), "length_ms": .integer("from the first start to the last end"), "plays": .integer(),
    ])
}

public struct SessionsBody: Encodable, Sendable {
    public let gapMs: Int64
    public let sessions: Int
    public let plays: Int
    public let medianMs: Int64
    public let longest: SessionItem?
    public let medianPlays: Int
    public let meanPlays: Double
    public let byWeekday: [Int]
    public let byHour: [Int]
}

/// Deeper questions about the history: favourites you forgot.
public enum DeeperQueries {
    public static let minPlays = QueryParameter("min-plays", .integer(min: 1, max: 1_000_000), default: "10",
                                                help: "how many counted plays make a favourite")
    public static let notSince = QueryParameter(
        "not-since", .period, default: "6m",
        help: "forgotten when not played in this long: 90d, 8w, 6m or 2y, in calendar units of the time zone")
    public static let forgottenBy = QueryParameter("by", .choice(["track", "artist"]), default: "track",
                                                   help: "forgotten songs or artists")

    public static let forgotten = HistoryQuery<ForgottenBody>(
        "forgotten", tool: "forgotten",
        summary: "songs (or artists) you played often and not since the cut-off, most played first",
        parameters: [minPlays, notSince, forgottenBy, HistoryParameters.limit, HistoryParameters.versions,
                     HistoryParameters.credits],
        schema: .object([
            "by": .oneOf(["track", "artist"]), "min_plays": .integer(), "cut_off": .string("ISO 8601"),
            "items": .array(.object([
                "rank": .integer(), "kind": .oneOf(PlayKind.allCases.map(\.rawValue)), "name": .string(),
                "artist": .nullable(.string("songs only")), "plays": .integer("counted plays, all time"),
                "last_played": .string("ISO 8601"),
            ]), "the period does not apply: all time before the cut-off"),
        ])
    ) { arguments, scope, db in
        // The cut-off is where the period "the last N days/weeks/months/years" starts.
        guard let length = arguments.period(notSince), length.isRelative,
              let cutOff = length.resolve(now: scope.now, zone: scope.period.zone).from else {
            throw SpotlogError.usage("\(arguments.spelled(notSince)) must be a length such as 90d, 8w, 6m or 2y")
        }
        let dimension: RankingDimension = arguments.string(forgottenBy) == "artist" ? .artists : .tracks
        let threshold = arguments.integer(minPlays) ?? 10
        let found = try Forgotten.find(dimension, scope: scope, minPlays: threshold, cutOff: cutOff,
                                       limit: arguments.integer(HistoryParameters.limit) ?? 10, in: db)
        return ForgottenBody(by: dimension == .artists ? "artist" : "track", minPlays: threshold,
                             cutOff: scope.iso8601(cutOff) ?? "", items: found.enumerated().map { index, item in
            ForgottenBody.Item(rank: index + 1, kind: item.kind.rawValue, name: item.name,
                               artist: dimension == .tracks ? item.artist : nil, plays: item.plays,
                               lastPlayed: scope.iso8601(item.lastPlayed) ?? "")
        })
    }
}

public struct ForgottenBody: Encodable, Sendable {
    public struct Item: Encodable, Sendable {
        public let rank: Int
        public let kind: String
        public let name: String
        public let artist: String?
        public let plays: Int
        public let lastPlayed: String
    }
    public let by: String
    public let minPlays: Int
    public let cutOff: String
    public let items: [Item]
}

/// Overviews: `summary`, `repeat-rate`, `coverage` and `discoveries`.
public enum OverviewQueries {
    public static let summary = HistoryQuery<SummaryBody>(
        "summary", tool: "taste_summary", summary: "totals, top artists and tracks, habits",
        parameters: [HistoryParameters.versions, HistoryParameters.credits], schema: .object([
            "plays": .integer(), "ms_played": .integer(), "hours": .number(), "distinct_tracks": .integer(),
            "distinct_artists": .integer(), "active_days": .integer(), "first_play": .nullable(.string("ISO 8601")),
            "last_play": .nullable(.string("ISO 8601")), "top_artists": .array(RankingItem.schema(withArtist: false)),
            "top_tracks": .array(RankingItem.schema(withArtist: true)),
            "peak_weekday": .nullable(.integer("1-7, ISO, 1 = Monday")), "peak_hour": .nullable(.integer("0-23")),
            "repeat_rate": .number(), "podcast_share": .number("share of all listening time in the period"),
        ])
    ) { _, scope, db in
        let result = try SummaryReports.summary(scope, in: db)
        return SummaryBody(
            plays: result.plays, msPlayed: result.msPlayed, hours: HistoryScope.rounded(Double(result.msPlayed) / 3_600_000, places: 10),
            distinctTracks: result.distinctTracks, distinctArtists: result.distinctArtists, activeDays: result.activeDays,
            firstPlay: scope.iso8601(result.firstPlay), lastPlay: scope.iso8601(result.lastPlay),
            topArtists: result.topArtists.map { RankingItem($0, withArtist: false) },
            topTracks: result.topTracks.map { RankingItem($0, withArtist: true) },
            peakWeekday: result.peakWeekday, peakHour: result.peakHour, repeatRate: HistoryScope.rounded(result.repeatRate),
            podcastShare: HistoryScope.rounded(result.podcastShare))
    }

    public static let repeatRate = HistoryQuery<RepeatRateBody>(
        "repeat-rate", tool: "repeat_rate", summary: "how often you play songs again, and the most replayed",
        parameters: [HistoryParameters.limit, HistoryParameters.versions],
        schema: .object(["plays": .integer(), "distinct_tracks": .integer(), "repeats": .integer(),
                         "rate": .number("repeats / plays"),
                         "items": .array(RankingItem.schema(withArtist: true), "tracks played at least twice")])
    ) { arguments, scope, db in
        let report = try SummaryReports.repeats(scope, limit: arguments.integer(HistoryParameters.limit) ?? 10, in: db)
        return RepeatRateBody(plays: report.plays, distinctTracks: report.distinctTracks, repeats: report.repeats,
                              rate: HistoryScope.rounded(report.rate),
                              items: report.mostReplayed.map { RankingItem($0, withArtist: true) })
    }

    public static let gap = QueryParameter("gap", .duration, default: "7d",
                                           help: "report runs of days without plays longer than this (whole days: 3d, 2w)")

    public static let coverage = HistoryQuery<CoverageBody>(
        "coverage", tool: "coverage", summary: "how complete the data is: sources, range, active days, gaps, last poll",
        parameters: [gap],
        schema: .object([
            "plays_by_source": .object(["api": .integer(), "extended": .integer(), "account": .integer()]),
            "first_play": .nullable(.string("ISO 8601")), "last_play": .nullable(.string("ISO 8601")),
            "active_days": .integer(), "span_days": .integer(), "gaps": .array(DayRange.schema),
            "last_poll": .nullable(.string("ISO 8601")),
            "possible_gaps": .array(.string("ISO 8601"), "polls that found a full page of new plays: plays before them may be missing"),
        ])
    ) { arguments, scope, db in
        let gapDays = Int((arguments.durationMillis(gap) ?? 604_800_000) / 86_400_000)
        guard gapDays >= 1 else { throw SpotlogError.usage("\(arguments.spelled(gap)) must be at least a day (1d)") }
        let report = try SummaryReports.coverage(scope, gapDays: gapDays, in: db)
        return CoverageBody(
            playsBySource: .init(api: report.playsBySource[.api] ?? 0, extended: report.playsBySource[.extended] ?? 0,
                                 account: report.playsBySource[.account] ?? 0),
            firstPlay: scope.iso8601(report.firstPlay), lastPlay: scope.iso8601(report.lastPlay), activeDays: report.activeDays,
            spanDays: report.spanDays, gaps: report.gaps.map(DayRange.init), lastPoll: scope.iso8601(report.lastPoll),
            possibleGaps: report.possibleGaps.compactMap(scope.iso8601), gapDays: gapDays)
    }

    public static let of = QueryParameter("of", .choice(["artists", "tracks"]), default: "artists",
                                          help: "first listens of artists or tracks")

    public static let discoveries = HistoryQuery<DiscoveriesBody>(
        "discoveries", tool: "discoveries", summary: "artists or tracks you listened to for the first time in the period",
        parameters: [of, HistoryParameters.limit, HistoryParameters.versions, HistoryParameters.credits],
        schema: .object(["of": .oneOf(["artists", "tracks"]), "items": .array(.object([
            "kind": .oneOf(PlayKind.allCases.map(\.rawValue)), "name": .string(), "artist": .nullable(.string("tracks only")),
            "first_played": .string("ISO 8601"), "plays": .integer("counted plays ever"),
        ]), "newest first")])
    ) { arguments, scope, db in
        let dimension: RankingDimension = arguments.string(of) == "tracks" ? .tracks : .artists
        let found = try SummaryReports.discoveries(dimension, scope: scope,
                                                   limit: arguments.integer(HistoryParameters.limit) ?? 10, in: db)
        return DiscoveriesBody(of: dimension.rawValue, items: found.map { item in
            DiscoveriesBody.Item(kind: item.kind.rawValue, name: item.name, artist: dimension == .tracks ? item.artist : nil,
                                 firstPlayed: scope.iso8601(item.firstPlayed) ?? "", plays: item.plays)
        })
    }
}

public struct SummaryBody: Encodable, Sendable {
    public let plays: Int
    public let msPlayed: Int64
    public let hours: Double
    public let distinctTracks: Int
    public let distinctArtists: Int
    public let activeDays: Int
    public let firstPlay: String?
    public let lastPlay: String?
    public let topArtists: [RankingItem]
    public let topTracks: [RankingItem]
    public let peakWeekday: Int?
    public let peakHour: Int?
    public let repeatRate: Double
    public let podcastShare: Double
}

public struct RepeatRateBody: Encodable, Sendable {
    public let plays: Int
    public let distinctTracks: Int
    public let repeats: Int
    public let rate: Double
    public let items: [RankingItem]
}

/// A run of days, both ends included.
public struct DayRange: Encodable, Sendable {
    public let start: String
    public let end: String
    public let days: Int

    init(_ streak: Streak) {
        start = streak.start.description
        end = streak.end.description
        days = streak.days
    }

    static let schema = DocumentSchema.object(["start": .string("YYYY-MM-DD"), "end": .string("YYYY-MM-DD"), "days": .integer()])
}

public struct CoverageBody: Encodable, Sendable {
    public struct SourceCounts: Encodable, Sendable {
        public let api: Int
        public let extended: Int
        public let account: Int
    }
    public let playsBySource: SourceCounts
    public let firstPlay: String?
    public let lastPlay: String?
    public let activeDays: Int
    public let spanDays: Int
    public let gaps: [DayRange]
    public let lastPoll: String?
    public let possibleGaps: [String]
    /// The gap threshold asked for, in whole days (for the terminal's wording; not encoded).
    public let gapDays: Int

    enum CodingKeys: String, CodingKey {
        case playsBySource, firstPlay, lastPlay, activeDays, spanDays, gaps, lastPoll, possibleGaps
    }
}

public struct DiscoveriesBody: Encodable, Sendable {
    public struct Item: Encodable, Sendable {
        public let kind: String
        public let name: String
        public let artist: String?
        public let firstPlayed: String
        public let plays: Int
    }
    public let of: String
    public let items: [Item]
}

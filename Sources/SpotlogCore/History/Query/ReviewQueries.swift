/// Periods reviewed: `compare` (two side by side) and `wrapped` (a year in review, any period).
public enum ReviewQueries {
    public static let versus = QueryParameter(
        "vs", .period,
        help: "the period to compare with, in any period form (default: the one of the same length just before)")

    private static let totalsSchema = DocumentSchema.object([
        "plays": .integer(), "ms_played": .integer(), "active_days": .integer(), "distinct_artists": .integer(),
        "distinct_tracks": .integer(),
    ])
    private static func comparedSchema(withArtist: Bool) -> DocumentSchema {
        return .object(withArtist ? [
            "kind": .oneOf(PlayKind.allCases.map(\.rawValue)), "name": .string(), "artist": .nullable(.string()),
            "rank": .nullable(.integer()), "plays": .integer(), "vs_rank": .nullable(.integer()), "vs_plays": .integer(),
            "change": .oneOf(ComparedItem.Change.allCases.map(\.rawValue)),
        ] : [
            "kind": .oneOf(PlayKind.allCases.map(\.rawValue)), "name": .string(),
            "rank": .nullable(.integer()), "plays": .integer(), "vs_rank": .nullable(.integer()), "vs_plays": .integer(),
            "change": .oneOf(ComparedItem.Change.allCases.map(\.rawValue)),
        ])
    }

    public static let compare = HistoryQuery<CompareBody>(
        "compare", tool: "compare",
        summary: "two periods side by side: totals, and top artists and songs marked new, up, down or gone",
        parameters: [versus, HistoryParameters.limit, HistoryParameters.versions, HistoryParameters.credits],
        schema: .object([
            "vs_period": .object(["label": .string(), "from": .nullable(.string("ISO 8601")), "to": .nullable(.string("ISO 8601"))]),
            "totals": totalsSchema, "vs_totals": totalsSchema,
            "artists": .array(comparedSchema(withArtist: false), "the period's top, then the other's top that left it"),
            "tracks": .array(comparedSchema(withArtist: true)),
        ])
    ) { arguments, scope, db in
        let spec: PeriodSpec
        if let given = arguments.period(versus) {
            spec = given
        } else {
            let periodSpec: PeriodSpec = arguments.isGiven(HistoryParameters.from) || arguments.isGiven(HistoryParameters.to)
                ? .dates(from: arguments.date(HistoryParameters.from), to: arguments.date(HistoryParameters.to))
                : arguments.period(HistoryParameters.period) ?? .all
            guard let previous = periodSpec.previous(of: scope.period, now: scope.now) else {
                throw SpotlogError.usage("\(scope.period.label) has no period before it to compare with; give \(arguments.spelled(versus))")
            }
            spec = previous
        }
        var other = scope
        other.period = spec.resolve(now: scope.now, zone: scope.period.zone)
        other.period.zoneName = scope.period.zoneName
        let comparison = try Comparisons.compare(scope, with: other, limit: arguments.integer(HistoryParameters.limit) ?? 10,
                                                 in: db)
        return CompareBody(
            vsPeriod: .init(label: other.period.label, from: other.iso8601(other.period.from), to: other.iso8601(other.period.to)),
            totals: .init(comparison.totals), vsTotals: .init(comparison.otherTotals),
            artists: comparison.artists.map { .init($0, withArtist: false) }, tracks: comparison.tracks.map { .init($0, withArtist: true) })
    }

    public static let wrapped = HistoryQuery<WrappedBody>(
        "wrapped", tool: "wrapped",
        summary: "a year in review for any period: minutes, top five, busiest day, peak hour, discoveries, streak, session",
        parameters: [HistoryParameters.versions, HistoryParameters.credits],
        schema: .object([
            "plays": .integer(), "ms_played": .integer(), "minutes": .integer(),
            "top_artists": .array(RankingItem.schema(withArtist: false)), "top_tracks": .array(RankingItem.schema(withArtist: true)),
            "top_albums": .array(RankingItem.schema(withArtist: true)),
            "top_podcast": .nullable(RankingItem.schema(withArtist: false)),
            "top_audiobook": .nullable(RankingItem.schema(withArtist: false)),
            "busiest_day": .nullable(.object(["date": .string("YYYY-MM-DD"), "plays": .integer(), "ms_played": .integer()])),
            "peak_hour": .nullable(.integer("0-23")), "peak_weekday": .nullable(.integer("1-7, ISO, 1 = Monday")),
            "new_artists": .integer("first played in the period"), "new_tracks": .integer(),
            "top_discoveries": .array(.object(["name": .string(), "first_played": .string("ISO 8601"), "plays": .integer()]),
                                      "new artists, most played first"),
            "longest_streak": .nullable(DayRange.schema),
            "longest_session": .nullable(SessionItem.schema),
        ])
    ) { _, scope, db in
        let report = try WrappedReports.report(scope, top: 5, in: db)
        return WrappedBody(
            plays: report.plays, msPlayed: report.msPlayed, minutes: Int(report.msPlayed / 60_000),
            topArtists: report.topArtists.map { RankingItem($0, withArtist: false) },
            topTracks: report.topTracks.map { RankingItem($0, withArtist: true) },
            topAlbums: report.topAlbums.map { RankingItem($0, withArtist: true) },
            topPodcast: report.topPodcast.map { RankingItem($0, withArtist: false) },
            topAudiobook: report.topAudiobook.map { RankingItem($0, withArtist: false) },
            busiestDay: report.busiestDay.map { .init(date: $0.start.description, plays: $0.plays, msPlayed: $0.msPlayed) },
            peakHour: report.peakHour, peakWeekday: report.peakWeekday, newArtists: report.newArtists, newTracks: report.newTracks,
            topDiscoveries: report.topDiscoveries.map {
                .init(name: $0.name, firstPlayed: scope.iso8601($0.firstPlayed) ?? "", plays: $0.plays)
            },
            longestStreak: report.longestStreak.map(DayRange.init),
            longestSession: report.longestSession.map { SessionItem($0, scope: scope) })
    }
}

public struct CompareBody: Encodable, Sendable {
    public struct Period: Encodable, Sendable {
        public let label: String
        public let from: String?
        public let to: String?
    }
    public struct Totals: Encodable, Sendable {
        public let plays: Int
        public let msPlayed: Int64
        public let activeDays: Int
        public let distinctArtists: Int
        public let distinctTracks: Int

        init(_ totals: PeriodTotals) {
            plays = totals.plays
            msPlayed = totals.msPlayed
            activeDays = totals.activeDays
            distinctArtists = totals.distinctArtists
            distinctTracks = totals.distinctTracks
        }
    }
    public struct Item: Encodable, Sendable {
        public let kind: String
        public let name: String
        public let artist: String?
        public let withArtist: Bool
        public let rank: Int?
        public let plays: Int
        public let vsRank: Int?
        public let vsPlays: Int
        public let change: String

        init(_ item: ComparedItem, withArtist: Bool) {
            kind = item.kind.rawValue
            name = item.name
            artist = item.artist
            self.withArtist = withArtist
            rank = item.rank
            plays = item.plays
            vsRank = item.otherRank
            vsPlays = item.otherPlays
            change = item.change.rawValue
        }

        enum CodingKeys: String, CodingKey { case kind, name, artist, rank, plays, vsRank, vsPlays, change }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(kind, forKey: .kind)
            try container.encode(name, forKey: .name)
            if withArtist { try container.encode(artist, forKey: .artist) }
            try container.encode(rank, forKey: .rank)
            try container.encode(plays, forKey: .plays)
            try container.encode(vsRank, forKey: .vsRank)
            try container.encode(vsPlays, forKey: .vsPlays)
            try container.encode(change, forKey: .change)
        }
    }
    public let vsPeriod: Period
    public let totals: Totals
    public let vsTotals: Totals
    public let artists: [Item]
    public let tracks: [Item]
}

public struct WrappedBody: Encodable, Sendable {
    public struct Day: Encodable, Sendable {
        public let date: String
        public let plays: Int
        public let msPlayed: Int64
    }
    public struct Discovered: Encodable, Sendable {
        public let name: String
        public let firstPlayed: String
        public let plays: Int
    }
    public let plays: Int
    public let msPlayed: Int64
    public let minutes: Int
    public let topArtists: [RankingItem]
    public let topTracks: [RankingItem]
    public let topAlbums: [RankingItem]
    public let topPodcast: RankingItem?
    public let topAudiobook: RankingItem?
    public let busiestDay: Day?
    public let peakHour: Int?
    public let peakWeekday: Int?
    public let newArtists: Int
    public let newTracks: Int
    public let topDiscoveries: [Discovered]
    public let longestStreak: DayRange?
    public let longestSession: SessionItem?
}

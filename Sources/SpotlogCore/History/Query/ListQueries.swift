/// Rankings (`top-artists`, `top-tracks`, `top-albums`) and lists of plays (`recent`, `search`).
public enum ListQueries {
    public static let topArtists = ranking(.artists, tool: "top_artists", summary: "artists (shows, books) ranked by plays or time")
    public static let topTracks = ranking(.tracks, tool: "top_tracks", summary: "tracks (episodes, chapters) ranked by plays or time")
    public static let topAlbums = ranking(.albums, tool: "top_albums", summary: "albums ranked by plays or time (music)")

    /// Per-track answers can keep versions apart; artist answers can count every credit.
    static let extraParameters: [RankingDimension: [QueryParameter]] = [
        .tracks: [HistoryParameters.versions], .artists: [HistoryParameters.credits],
    ]

    static func ranking(_ dimension: RankingDimension, tool: String, summary: String) -> HistoryQuery<RankingBody> {
        HistoryQuery("top-\(dimension.rawValue)", tool: tool, summary: summary,
                     parameters: [HistoryParameters.limit, HistoryParameters.by] + extraParameters[dimension, default: []],
                     schema: RankingBody.schema(dimension)) {
            arguments, scope, db in
            let measure = RankingMeasure(rawValue: arguments.string(HistoryParameters.by) ?? "plays") ?? .plays
            let ranking = try Rankings.rank(dimension, by: measure, scope: scope,
                                            limit: arguments.integer(HistoryParameters.limit), in: db)
            return RankingBody(by: measure.rawValue, totalPlays: ranking.totalPlays, totalMs: ranking.totalMillis,
                               items: ranking.entries.map { RankingItem($0, withArtist: dimension != .artists) })
        }
    }

    public static let recent = HistoryQuery<PlaysBody>(
        "recent", tool: "recent", summary: "the latest plays", parameters: [HistoryParameters.limit],
        schema: .object(["items": .array(PlayItem.schema)])
    ) { arguments, scope, db in
        let plays = try PlayListing.recent(scope, limit: arguments.integer(HistoryParameters.limit) ?? 10, in: db)
        return PlaysBody(queryText: nil, items: plays.map { PlayItem($0, scope: scope) })
    }

    public static let text = QueryParameter("query", .text, required: true,
                                            help: "text to find in track, artist or album names (case and accents ignored)")

    public static let search = HistoryQuery<PlaysBody>(
        "search", tool: "search", summary: "plays whose track, artist or album matches a text",
        parameters: [text, HistoryParameters.limit],
        schema: .object(["query_text": .string(), "items": .array(PlayItem.schema)])
    ) { arguments, scope, db in
        let query = arguments.string(text) ?? ""
        let plays = try PlayListing.search(query, scope: scope, limit: arguments.integer(HistoryParameters.limit) ?? 10, in: db)
        return PlaysBody(queryText: query, items: plays.map { PlayItem($0, scope: scope) })
    }
}

/// The fields of a ranking.
public struct RankingBody: Encodable, Sendable {
    public let by: String
    public let totalPlays: Int
    public let totalMs: Int64
    public let items: [RankingItem]

    static func schema(_ dimension: RankingDimension) -> DocumentSchema {
        .object(["by": .oneOf(RankingMeasure.allCases.map(\.rawValue)), "total_plays": .integer(), "total_ms": .integer(),
                 "items": .array(RankingItem.schema(withArtist: dimension != .artists))])
    }
}

/// One ranked artist, track or album; tracks and albums name their artist.
public struct RankingItem: Encodable, Sendable {
    public let rank: Int
    public let kind: String
    public let name: String
    /// The artist, for tracks and albums; `withArtist` says whether the field exists at all.
    public let artist: String?
    public let withArtist: Bool
    public let plays: Int
    public let msPlayed: Int64
    /// Of plays or of time, by the ranking's measure, 0-1.
    public let share: Double

    init(_ entry: RankedEntry, withArtist: Bool) {
        rank = entry.rank
        kind = entry.kind.rawValue
        name = entry.name
        artist = entry.artist
        self.withArtist = withArtist
        plays = entry.plays
        msPlayed = entry.msPlayed
        share = HistoryScope.rounded(entry.share)
    }

    enum CodingKeys: String, CodingKey { case rank, kind, name, artist, plays, msPlayed, share }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rank, forKey: .rank)
        try container.encode(kind, forKey: .kind)
        try container.encode(name, forKey: .name)
        if withArtist { try container.encodeIfPresent(artist, forKey: .artist) }
        try container.encode(plays, forKey: .plays)
        try container.encode(msPlayed, forKey: .msPlayed)
        try container.encode(share, forKey: .share)
    }

    static func schema(withArtist: Bool) -> DocumentSchema {
        .object([.init("rank", .integer()), .init("kind", .oneOf(PlayKind.allCases.map(\.rawValue))), .init("name", .string())]
                + (withArtist ? [.init("artist", .nullable(.string()))] : [])
                + [.init("plays", .integer()), .init("ms_played", .integer()), .init("share", .number("0-1, of plays or time"))])
    }
}

/// The fields of a list of plays; `query_text` only for a search.
public struct PlaysBody: Encodable, Sendable {
    public let queryText: String?
    public let items: [PlayItem]

    enum CodingKeys: String, CodingKey { case queryText, items }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let queryText { try container.encode(queryText, forKey: .queryText) }
        try container.encode(items, forKey: .items)
    }
}

/// One play as lists show it.
public struct PlayItem: Encodable, Sendable {
    public let playedAt: String
    public let kind: String
    public let name: String
    public let artist: String?
    public let album: String?
    public let msPlayed: Int64
    public let source: String

    init(_ play: ListedPlay, scope: HistoryScope) {
        playedAt = scope.iso8601(play.playedAt) ?? ""
        kind = play.kind.rawValue
        name = play.label.name
        artist = play.label.creator
        album = play.label.album
        msPlayed = play.msPlayed
        source = play.source.rawValue
    }

    static let schema = DocumentSchema.object([
        "played_at": .string("ISO 8601"), "kind": .oneOf(PlayKind.allCases.map(\.rawValue)), "name": .string(),
        "artist": .nullable(.string()), "album": .nullable(.string()), "ms_played": .integer(),
        "source": .oneOf(PlaySource.allCases.map(\.rawValue)),
    ])
}

/// Tools that ask the Spotify Web API for the logged-in user: their top items and a catalogue
/// search. Without a login they fail with an error that says to run `spotlog auth login`.
enum SpotifyTools {
    static let entity = QueryParameter("entity", .choice(["artists", "tracks"]), required: true, help: "top artists or top tracks")
    static let timeRange = QueryParameter("time_range", .choice(SpotifyClient.TopRange.allCases.map(\.rawValue)),
                                          default: "medium_term",
                                          help: "Spotify's window: about 4 weeks, 6 months, or about a year")
    static let topLimit = QueryParameter("limit", .integer(min: 1, max: 50), default: "20", help: "how many items")
    static let text = QueryParameter("q", .text, required: true, help: "what to search for")
    static let searchType = QueryParameter("type", .choice(["track", "artist", "album"]), default: "track", help: "what kind of item")
    static let searchLimit = QueryParameter("limit", .integer(min: 1, max: 50), default: "10", help: "how many items")

    static let all = [getTop, search]

    static let getTop = Tool(
        name: "spotify.get_top", title: "Spotify top items",
        description: "The user's top artists or tracks as Spotify computes them (calls the Spotify Web API).",
        parameters: [ToolRegistry.user, entity, timeRange, topLimit], outputSchema: SpotifyItemsDocument.schema,
        openWorld: true
    ) { arguments, context in
        let (user, client) = try SpotifyTools.login(arguments, context)
        let range = SpotifyClient.TopRange(rawValue: arguments.string(timeRange) ?? "") ?? .medium
        let limit = arguments.integer(topLimit) ?? 20
        let items: [SpotifyItemsDocument.Item]
        if arguments.string(entity) == "artists" {
            items = try client.topArtists(range: range, limit: limit).items.map(SpotifyItemsDocument.Item.init)
        } else {
            items = try client.topTracks(range: range, limit: limit).items.map(SpotifyItemsDocument.Item.init)
        }
        return try DocumentEncoder().encode(SpotifyItemsDocument(user: user, request: arguments.string(entity) ?? "",
                                                                 items: items))
    }

    static let search = Tool(
        name: "spotify.search", title: "Spotify search",
        description: "Search Spotify's catalogue for tracks, artists or albums (calls the Spotify Web API).",
        parameters: [ToolRegistry.user, text, searchType, searchLimit], outputSchema: SpotifyItemsDocument.schema,
        openWorld: true
    ) { arguments, context in
        let (user, client) = try SpotifyTools.login(arguments, context)
        let type = arguments.string(searchType) ?? "track"
        let results = try client.search(arguments.string(text) ?? "", types: [type], limit: arguments.integer(searchLimit) ?? 10)
        let items: [SpotifyItemsDocument.Item]
        switch type {
        case "artist": items = (results.artists?.items ?? []).map(SpotifyItemsDocument.Item.init)
        case "album": items = (results.albums?.items ?? []).map(SpotifyItemsDocument.Item.init)
        default: items = (results.tracks?.items ?? []).map(SpotifyItemsDocument.Item.init)
        }
        return try DocumentEncoder().encode(SpotifyItemsDocument(user: user, request: type, items: items))
    }

    /// The user the arguments name (or the only one who logged in) and their client.
    private static func login(_ arguments: QueryArguments, _ context: ToolContext) throws -> (String, SpotifyClient) {
        // Read-only first: a mistyped database path is an error, not a new empty database.
        let directory = UserDirectory(database: try context.database(.readOnly))
        let loggedIn = try directory.loggedIn()
        let user: User
        if let handle = arguments.string(ToolRegistry.user) {
            user = try directory.require(handle)
            guard loggedIn.contains(where: { $0.id == user.id }) else {
                throw SpotlogError.authRequired("user '\(user.name)' is not logged in to Spotify; run 'spotlog auth login'")
            }
        } else {
            guard let only = loggedIn.first else {
                throw SpotlogError.authRequired("no user is logged in to Spotify; run 'spotlog auth login'")
            }
            guard loggedIn.count == 1 else {
                throw SpotlogError.usage("several users are logged in (\(loggedIn.map(\.name).joined(separator: ", ")))",
                                         hint: .chooseUser)
            }
            user = only
        }
        // The client writes refreshed tokens and rate limits.
        return (user.name, try SpotifyAccount.client(for: user, database: try context.database(.readWrite),
                                                     environment: context.environment))
    }
}

/// Spotify items as the `spotify.*` tools return them: one shape for tracks, artists and albums.
struct SpotifyItemsDocument: Encodable {
    let schemaVersion = 1
    let user: String
    /// What was asked for: `artists` / `tracks` (top items), or `track` / `artist` / `album` (search).
    let request: String
    let items: [Item]

    enum CodingKeys: String, CodingKey { case schemaVersion, user, request, items }

    struct Item: Encodable {
        let type: String
        let name: String
        let uri: String?
        let artists: [String]
        let album: String?
        let releaseDate: String?
        let genres: [String]
        let popularity: Int?

        init(_ track: SpotifyTrack) {
            type = "track"; name = track.name; uri = track.uri; artists = track.artists.map(\.name)
            album = track.album?.name; releaseDate = track.album?.releaseDate; genres = []; popularity = nil
        }

        init(_ artist: SpotifyArtist) {
            type = "artist"; name = artist.name; uri = artist.uri; artists = []
            album = nil; releaseDate = nil; genres = artist.genres ?? []; popularity = artist.popularity
        }

        init(_ album: SpotifyAlbum) {
            type = "album"; name = album.name; uri = album.uri; artists = (album.artists ?? []).map(\.name)
            self.album = nil; releaseDate = album.releaseDate; genres = []; popularity = nil
        }
    }

    static let schema = DocumentSchema.object([
        "schema_version": .integer(), "user": .string(), "request": .string(),
        "items": .array(.object([
            "type": .oneOf(["track", "artist", "album"]), "name": .string(), "uri": .nullable(.string()),
            "artists": .array(.string()), "album": .nullable(.string()), "release_date": .nullable(.string()),
            "genres": .array(.string()), "popularity": .nullable(.integer()),
        ])),
    ])
}

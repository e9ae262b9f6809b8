/// One artist, song or album in depth: `artist`, `track` and `album`.
public enum ProfileQueries {
    public static let artistName = QueryParameter("name", .text, required: true,
                                                  help: "the artist's name (case and accents ignored) or Spotify URI")
    public static let trackName = QueryParameter("name", .text, required: true,
                                                 help: "the track's title (case and accents ignored) or Spotify URI")
    public static let albumName = QueryParameter("name", .text, required: true,
                                                 help: "the album's title (case and accents ignored) or Spotify URI")
    public static let byArtist = QueryParameter("artist", .text, help: "only the one by this artist (when a title is ambiguous)")

    public static let artist = query(.artist, artistName, summary: "one artist in depth: plays, rank, songs, months, streak",
                                     parameters: [HistoryParameters.versions])
    public static let track = query(.track, trackName, summary: "one song in depth: plays, rank, artists, months, streak",
                                    parameters: [byArtist, HistoryParameters.versions])
    public static let album = query(.album, albumName, summary: "one album in depth: plays, rank, songs, months, streak",
                                    parameters: [byArtist, HistoryParameters.versions])

    private static func query(_ subject: ProfileSubject, _ name: QueryParameter, summary: String,
                              parameters: [QueryParameter]) -> HistoryQuery<ProfileBody> {
        HistoryQuery<ProfileBody>(
            subject.rawValue, tool: subject.rawValue, summary: summary,
            parameters: [name] + parameters + [HistoryParameters.limit],
            schema: .object([
                "subject": .oneOf(ProfileSubject.allCases.map(\.rawValue)), "name": .string(),
                "artist": .nullable(.string("tracks and albums")), "uris": .array(.string()),
                "plays": .integer("counted plays in the period"), "ms_played": .integer(),
                "all_time_plays": .integer(), "all_time_ms_played": .integer(),
                "first_played": .nullable(.string("ISO 8601, all time")), "last_played": .nullable(.string("ISO 8601, all time")),
                "rank": .nullable(.integer("among all \(subject.dimension.rawValue) in the period; null when unplayed")),
                "ranked": .integer("how many \(subject.dimension.rawValue) the period ranks"),
                "top": .array(RankingItem.schema(withArtist: subject != .track),
                              subject == .track ? "the credited artists" : "its songs, most played first"),
                "months": .array(.object(["month": .string("YYYY-MM"), "plays": .integer(), "ms_played": .integer()]),
                                 "local calendar months from the first played to the last"),
                "longest_streak": .nullable(DayRange.schema),
            ])
        ) { arguments, scope, db in
            let profile = try ItemProfiles.profile(subject, arguments.string(name) ?? "", byArtist: arguments.string(byArtist),
                                                   scope: scope, limit: arguments.integer(HistoryParameters.limit) ?? 10, in: db)
            return ProfileBody(
                subject: subject.rawValue, name: profile.name, artist: profile.artist, uris: profile.uris, plays: profile.plays,
                msPlayed: profile.msPlayed, allTimePlays: profile.allTimePlays, allTimeMsPlayed: profile.allTimeMillis,
                firstPlayed: scope.iso8601(profile.firstPlayed), lastPlayed: scope.iso8601(profile.lastPlayed),
                rank: profile.rank, ranked: profile.ranked,
                top: profile.top.map { RankingItem($0, withArtist: subject != .track) },
                months: profile.months.map {
                    ProfileBody.Month(month: String($0.month.description.prefix(7)), plays: $0.plays, msPlayed: $0.msPlayed)
                },
                longestStreak: profile.longestStreak.map(DayRange.init))
        }
    }
}

public struct ProfileBody: Encodable, Sendable {
    public struct Month: Encodable, Sendable {
        public let month: String
        public let plays: Int
        public let msPlayed: Int64
    }
    public let subject: String
    public let name: String
    public let artist: String?
    public let uris: [String]
    public let plays: Int
    public let msPlayed: Int64
    public let allTimePlays: Int
    public let allTimeMsPlayed: Int64
    public let firstPlayed: String?
    public let lastPlayed: String?
    public let rank: Int?
    public let ranked: Int
    public let top: [RankingItem]
    public let months: [Month]
    public let longestStreak: DayRange?
}

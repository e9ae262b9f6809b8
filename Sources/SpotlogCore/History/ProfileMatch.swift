import GRDB

/// What `history artist|track|album` is about.
public enum ProfileSubject: String, Sendable, CaseIterable {
    case artist, track, album

    /// The ranking its rank is taken from.
    var dimension: RankingDimension {
        switch self {
        case .artist: return .artists
        case .track: return .tracks
        case .album: return .albums
        }
    }
}

/// The tracks a name or URI stands for, and how answers name them.
struct ProfileMatch {
    let name: String
    /// A track's or album's artist.
    let artist: String?
    /// The matched catalogue entries' URIs (the artist's, the song's tracks', the album's).
    let uris: [String]
    /// The tracks whose plays count: the artist's (as primary artist, with the artists merged
    /// into it), the song's versions (one track with `--versions`), or the album's.
    let trackIDs: [Int64]

    /// `trackIDs` as an SQL list (row ids, never user text).
    var trackList: String { trackIDs.map(String.init).joined(separator: ",") }
}

/// Finds what a `NAME|URI` means. Names match case- and accent-insensitively (`IdentityKey.fold`),
/// optionally narrowed by an artist; a name that fits several songs or albums is ambiguous
/// (a usage error listing them), an unknown one is not found, with the closest name suggested.
enum ProfileMatcher {
    static func match(_ subject: ProfileSubject, _ text: String, byArtist: String?, scope: HistoryScope,
                      in db: Database) throws -> ProfileMatch {
        switch subject {
        case .artist: return try artist(text, in: db)
        case .track, .album: return try trackOrAlbum(subject, text, byArtist: byArtist, scope: scope, in: db)
        }
    }

    private static func isURI(_ text: String) -> Bool { text.hasPrefix("spotify:") || text.hasPrefix("local:") }

    /// The artist group (`name_key`, as rankings group artists) named or identified by `text`;
    /// an artist merged into another stands for that one.
    private static func artist(_ text: String, in db: Database) throws -> ProfileMatch {
        let key: String
        if isURI(text) {
            guard let found = try String.fetchOne(db, sql: "SELECT name_key FROM artists WHERE uri = ?", arguments: [text]) else {
                throw SpotlogError.notFound("no artist with URI '\(text)' in your history")
            }
            key = found
        } else {
            key = try ArtistAliases.artist(named: text, in: db).key
        }
        let group = try String.fetchOne(db, sql: "SELECT artist_key FROM artist_aliases WHERE alias_key = ?", arguments: [key]) ?? key
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.id, a.uri, coalesce((SELECT artist_name FROM artist_aliases WHERE artist_key = ?1 LIMIT 1), a.name) AS shown
            FROM artists a LEFT JOIN artist_aliases aa ON aa.alias_key = a.name_key
            WHERE a.name_key = ?1 OR aa.artist_key = ?1 ORDER BY a.name_key <> ?1, a.id
            """, arguments: [group])
        let ids = try rows.map { try $0.decode(Int64.self, atIndex: 0) }.map(String.init).joined(separator: ",")
        let tracks = try Int64.fetchAll(db, sql: """
            SELECT track_id FROM track_artists WHERE position = 0 AND artist_id IN (\(ids)) ORDER BY track_id
            """)
        return ProfileMatch(name: try rows.first?.decode(forColumn: "shown") ?? text, artist: nil,
                            uris: try rows.map { try $0.decode(forColumn: "uri") }, trackIDs: tracks)
    }

    /// A song (a track with `--versions`) or an album, each a group as the rankings count them.
    private static func trackOrAlbum(_ subject: ProfileSubject, _ text: String, byArtist: String?, scope: HistoryScope,
                                     in db: Database) throws -> ProfileMatch {
        let album = subject == .album
        let group = album ? "t.album_id" : (scope.trackGrouping == .versions ? "t.id" : "t.song_key")
        let shown = album ? "al.name" : "t.name"
        // Candidates: tracks whose folded text holds the folded name (or of the URI), with names.
        var condition: String, arguments: StatementArguments
        if isURI(text) {
            condition = album ? "al.uri = ?" : "t.uri = ?"
            arguments = [text]
        } else {
            condition = "instr(t.search_text, ?) > 0"
            arguments = [IdentityKey.fold(text)]
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT \(group) AS grouping, \(shown) AS name, coalesce(aa.artist_name, a.name) AS artist
            FROM tracks t LEFT JOIN albums al ON al.id = t.album_id
            LEFT JOIN track_artists ta ON ta.track_id = t.id AND ta.position = 0 LEFT JOIN artists a ON a.id = ta.artist_id
            LEFT JOIN artist_aliases aa ON aa.alias_key = a.name_key
            WHERE \(condition) AND \(group) IS NOT NULL
            """, arguments: arguments)
        let wanted = IdentityKey.fold(text), wantedArtist = byArtist.map(IdentityKey.fold)
        let candidates = try rows.filter { row in
            let name: String = try row.decode(forColumn: "name")
            guard isURI(text) || IdentityKey.fold(name) == wanted else { return false }
            let artist: String? = try row.decode(forColumn: "artist")
            return wantedArtist.map { $0 == artist.map(IdentityKey.fold) } ?? true
        }
        let groups = Dictionary(grouping: candidates) { $0["grouping"] as DatabaseValue }
        guard !groups.isEmpty else {
            let names = Set(try rows.map { IdentityKey.fold(try $0.decode(String.self, forColumn: "name")) })
            let hint = isURI(text) ? nil : Suggestions.closest(to: wanted, among: names.sorted())
            throw SpotlogError.notFound("no \(subject.rawValue) \(isURI(text) ? "with URI" : "named") '\(text)'"
                                        + (byArtist.map { " by '\($0)'" } ?? "") + " in your history"
                                        + (hint.map { "; did you mean '\($0)'?" } ?? ""))
        }
        guard groups.count == 1, let only = groups.first else {
            let listed = try groups.values.map { rows in
                "'\(try rows[0].decode(String.self, forColumn: "name"))' by '\(try rows[0].decode(String?.self, forColumn: "artist") ?? "unknown artist")'"
            }.sorted()
            throw SpotlogError.usage("'\(text)' names \(groups.count) \(subject.rawValue)s: \(listed.joined(separator: ", ")); "
                                     + "give the artist too, or a Spotify URI")
        }
        let members = try Row.fetchAll(db, sql: "SELECT t.id, \(album ? "al.uri" : "t.uri") AS uri FROM tracks t "
                                           + "LEFT JOIN albums al ON al.id = t.album_id WHERE \(group) = ? ORDER BY t.id",
                                       arguments: [only.key])
        return ProfileMatch(name: try only.value[0].decode(forColumn: "name"), artist: try only.value[0].decode(forColumn: "artist"),
                            uris: Array(Set(try members.map { try $0.decode(String.self, forColumn: "uri") })).sorted(),
                            trackIDs: try members.map { try $0.decode(forColumn: "id") })
    }
}

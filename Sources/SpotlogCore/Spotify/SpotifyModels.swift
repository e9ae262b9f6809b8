import Foundation

/// The Web API objects spotlog reads (decoded with snake_case keys; unknown fields ignored).
public struct SpotifyUserProfile: Decodable, Equatable, Sendable {
    public let id: String
    public let displayName: String?
    public let email: String?
    public let country: String?
    public let product: String?
}

public struct SpotifyArtistReference: Decodable, Equatable, Sendable {
    public let id: String?
    public let name: String
    public let uri: String?
}

public struct SpotifyArtist: Decodable, Equatable, Sendable {
    public let id: String
    public let name: String
    public let uri: String
    public let genres: [String]?
    public let popularity: Int?
}

public struct SpotifyAlbum: Decodable, Equatable, Sendable {
    public let id: String?
    public let name: String
    public let uri: String?
    public let releaseDate: String?
    public let artists: [SpotifyArtistReference]?
}

public struct SpotifyTrack: Decodable, Equatable, Sendable {
    /// Identifiers of the recording outside Spotify.
    public struct ExternalIDs: Decodable, Equatable, Sendable {
        public let isrc: String?
    }

    public let id: String?
    public let name: String
    public let uri: String
    public let durationMs: Int?
    public let artists: [SpotifyArtistReference]
    public let album: SpotifyAlbum?
    public let externalIds: ExternalIDs?
}

/// One entry of recently-played.
public struct SpotifyPlayHistory: Decodable, Equatable, Sendable {
    public struct Context: Decodable, Equatable, Sendable {
        public let uri: String?
        public let type: String?
    }

    public let track: SpotifyTrack
    /// ISO 8601, millisecond precision.
    public let playedAt: String
    public let context: Context?
}

/// A page of recently-played: newest first; `cursors` is null when there are no items.
public struct SpotifyRecentlyPlayed: Decodable, Equatable, Sendable {
    public struct Cursors: Decodable, Equatable, Sendable {
        public let after: String?
        public let before: String?
    }

    public let items: [SpotifyPlayHistory]
    public let next: String?
    public let cursors: Cursors?
    public let limit: Int?
}

/// A paging object (top items, search results).
public struct SpotifyPage<Item: Decodable & Sendable & Equatable>: Decodable, Equatable, Sendable {
    public let items: [Item]
    public let next: String?
    public let total: Int?
}

public struct SpotifySearchResults: Decodable, Equatable, Sendable {
    public let tracks: SpotifyPage<SpotifyTrack>?
    public let artists: SpotifyPage<SpotifyArtist>?
    public let albums: SpotifyPage<SpotifyAlbum>?
}

/// The token endpoint's answer.
public struct SpotifyTokenResponse: Decodable, Equatable, Sendable {
    public let accessToken: String
    public let tokenType: String?
    public let expiresIn: Int
    /// Absent when a refresh keeps the old refresh token.
    public let refreshToken: String?
    public let scope: String?
}

/// `{"error": "invalid_grant", "error_description": "..."}` from the accounts service.
struct SpotifyAccountsError: Decodable {
    let error: String
    let errorDescription: String?
}

/// `{"error": {"status": 401, "message": "..."}}` from the Web API.
struct SpotifyAPIError: Decodable {
    struct Detail: Decodable {
        let status: Int?
        let message: String?
        let reason: String?
    }

    let error: Detail
}

enum SpotifyJSON {
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    /// Decodes `T`, or fails clearly naming the endpoint (nothing is stored from a bad answer).
    static func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse, endpoint: String) throws -> T {
        do {
            return try decoder().decode(type, from: response.body)
        } catch {
            throw SpotlogError.unavailable("Spotify sent malformed JSON for \(endpoint)")
        }
    }
}

import Foundation

/// Gives the client a valid access token, and a fresh one after a 401.
public protocol AccessTokenProvider: AnyObject, Sendable {
    func accessToken() throws -> String
    func refreshedAccessToken() throws -> String
}

/// The Spotify Web API, for one user.
///
/// Every request goes through the retry policy (rate limits, backoff); a 401 refreshes the token
/// once and retries. Batch lookups fall back to one request per item when the batch endpoints
/// answer 403 or 404 (Spotify has withdrawn them from apps in development mode).
public final class SpotifyClient: Sendable {
    private let apiURL: URL
    private let tokens: any AccessTokenProvider
    private let requester: SpotifyRequester
    /// Set once a batch endpoint answers 403 or 404; threads may share the client.
    private let batchEndpointsGone = Locked(false)
    private let requestCount = Locked(0)

    /// Requests sent so far (retries and token refreshes not counted), for request budgets.
    public var requestsSent: Int { requestCount.withLock { $0 } }

    /// Whether batch lookups still go out as one request per 50 items (not one per item).
    public var usesBatchEndpoints: Bool { !batchEndpointsGone.withLock { $0 } }

    init(apiURL: URL, tokens: any AccessTokenProvider, requester: SpotifyRequester) {
        self.apiURL = apiURL
        self.tokens = tokens
        self.requester = requester
    }

    public func me() throws -> SpotifyUserProfile {
        try get("v1/me", as: SpotifyUserProfile.self)
    }

    /// Up to `limit` (1-50) plays, newest first; `after` / `before` are millisecond cursors.
    public func recentlyPlayed(limit: Int = 50, after: EpochMillis? = nil, before: EpochMillis? = nil) throws
        -> SpotifyRecentlyPlayed {
        var query = ["limit": String(min(max(limit, 1), 50))]
        if let after { query["after"] = String(after) }
        if let before { query["before"] = String(before) }
        return try get("v1/me/player/recently-played", query: query, as: SpotifyRecentlyPlayed.self)
    }

    public func track(id: String) throws -> SpotifyTrack { try get("v1/tracks/\(id)", as: SpotifyTrack.self) }

    public func artist(id: String) throws -> SpotifyArtist { try get("v1/artists/\(id)", as: SpotifyArtist.self) }

    /// The tracks Spotify knows of `ids`: batches of 50, or one request each (`oneByOne`, or
    /// once the batch endpoint is refused).
    public func tracks(ids: [String], oneByOne: Bool = false) throws -> [SpotifyTrack] {
        try batch(ids, path: "v1/tracks", key: "tracks", oneByOne: oneByOne, one: track(id:))
    }

    public func artists(ids: [String]) throws -> [SpotifyArtist] {
        try batch(ids, path: "v1/artists", key: "artists", oneByOne: false, one: artist(id:))
    }

    public enum TopRange: String, Sendable, CaseIterable { case short = "short_term", medium = "medium_term", long = "long_term" }

    public func topArtists(range: TopRange = .medium, limit: Int = 20) throws -> SpotifyPage<SpotifyArtist> {
        try get("v1/me/top/artists", query: ["time_range": range.rawValue, "limit": String(limit)], as: SpotifyPage<SpotifyArtist>.self)
    }

    public func topTracks(range: TopRange = .medium, limit: Int = 20) throws -> SpotifyPage<SpotifyTrack> {
        try get("v1/me/top/tracks", query: ["time_range": range.rawValue, "limit": String(limit)], as: SpotifyPage<SpotifyTrack>.self)
    }

    public func search(_ text: String, types: [String] = ["track", "artist"], limit: Int = 10) throws -> SpotifySearchResults {
        try get("v1/search", query: ["q": text, "type": types.joined(separator: ","), "limit": String(limit)],
                as: SpotifySearchResults.self)
    }

    private struct BatchGone: Error {}

    private func batch<T: Decodable>(_ ids: [String], path: String, key: String, oneByOne: Bool,
                                     one: (String) throws -> T) throws -> [T] {
        guard !ids.isEmpty else { return [] }
        if !oneByOne && !batchEndpointsGone.withLock({ $0 }) {
            do {
                var found: [T] = []
                for start in stride(from: 0, to: ids.count, by: 50) {
                    let chunk = ids[start..<min(start + 50, ids.count)].joined(separator: ",")
                    let page = try get(path, query: ["ids": chunk], as: [String: [T?]].self, goneOn: [403, 404])
                    found += (page[key] ?? []).compactMap { $0 }
                }
                return found
            } catch is BatchGone {
                batchEndpointsGone.withLock { $0 = true }
            }
        }
        // One request per item; an item Spotify does not know is left out, as a batch would.
        return try ids.compactMap { id in
            do {
                return try one(id)
            } catch let error as SpotlogError where error.category == .notFound {
                return nil
            }
        }
    }

    /// GETs `path` as JSON, refreshing the token once on 401.
    private func get<T: Decodable>(_ path: String, query: [String: String] = [:], as type: T.Type,
                                   goneOn: Set<Int> = []) throws -> T {
        var components = URLComponents(url: apiURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.percentEncodedQuery = FormEncoding.encode(query) }
        let endpoint = "/" + path
        var token = try tokens.accessToken()
        var refreshed = false
        while true {
            let request = HTTPRequest(url: components.url!, headers: [("Authorization", "Bearer \(token)"),
                                                                      ("Accept", "application/json")])
            requestCount.withLock { $0 += 1 }
            let response = try requester.send(request, endpoint: endpoint)
            switch response.status {
            case 200..<300:
                return try SpotifyJSON.decode(type, from: response, endpoint: endpoint)
            case 401 where !refreshed:
                token = try tokens.refreshedAccessToken()
                refreshed = true
            case 401:
                throw SpotlogError.authRequired("Spotify rejected the access token for \(endpoint) even after a refresh; "
                                                + "run 'spotlog auth login'")
            case let status where goneOn.contains(status):
                throw BatchGone()
            default:
                let detail = (try? SpotifyJSON.decoder().decode(SpotifyAPIError.self, from: response.body))?.error.message
                let message = "Spotify answered \(endpoint) with HTTP \(response.status)" + (detail.map { ": \($0)" } ?? "")
                throw response.status == 404 ? SpotlogError.notFound(message) : SpotlogError.unavailable(message)
            }
        }
    }
}

import Foundation

/// Where Spotify is and who spotlog is to it.
public struct SpotifyConfiguration: Sendable {
    /// The accounts service (authorisation and tokens).
    public var accountsURL: URL
    /// The Web API.
    public var apiURL: URL
    public var clientID: String
    /// Set for the confidential flow (Basic auth on the token endpoint) instead of PKCE.
    public var clientSecret: String?

    public static let scopes = [
        "user-read-recently-played", "user-read-private", "user-read-email", "user-top-read", "user-read-currently-playing",
    ]

    public init(accountsURL: URL, apiURL: URL, clientID: String, clientSecret: String? = nil) {
        self.accountsURL = accountsURL
        self.apiURL = apiURL
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    /// The base URLs from `SPOTLOG_SPOTIFY_ACCOUNTS_URL` and `SPOTLOG_SPOTIFY_API_URL` (for tests and
    /// proxies), else Spotify's own.
    public static func baseURLs(_ environment: [String: String]) throws -> (accounts: URL, api: URL) {
        func url(_ variable: EnvironmentVariable, _ fallback: String) throws -> URL {
            let text = environment[variable] ?? fallback
            guard let url = URL(string: text.hasSuffix("/") ? String(text.dropLast()) : text), url.scheme != nil,
                  url.host != nil else {
                throw SpotlogError.configuration("\(variable.name) is not a URL: \(text)")
            }
            return url
        }
        return (try url(.accountsURL, "https://accounts.spotify.com"), try url(.apiURL, "https://api.spotify.com"))
    }
}

extension SpotifyConfiguration {
    /// The configuration for this run: the client id from `explicitClientID` (`--client-id`), else
    /// `SPOTIFY_CLIENT_ID`, else the one remembered at the last login; the secret from
    /// `SPOTIFY_CLIENT_SECRET` (confidential flow) when set.
    public static func resolve(environment: [String: String], explicitClientID: String?, database: SpotlogDatabase) throws
        -> SpotifyConfiguration {
        let urls = try baseURLs(environment)
        let remembered = try database.reader.read { db in try Settings.get(Settings.clientID, in: db) }
        guard let clientID = [explicitClientID, environment[EnvironmentVariable.clientID], remembered]
            .compactMap({ $0 }).first(where: { !$0.isEmpty }) else {
            throw SpotlogError(.configuration, """
                no Spotify client id (create an app at https://developer.spotify.com/dashboard with the redirect URI \
                http://127.0.0.1:8888/callback)
                """, hint: .giveClientID)
        }
        let secret = environment[EnvironmentVariable.clientSecret]
        return SpotifyConfiguration(accountsURL: urls.accounts, apiURL: urls.api, clientID: clientID, clientSecret: secret)
    }
}

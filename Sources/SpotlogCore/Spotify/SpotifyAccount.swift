import Foundation
import GRDB

/// A logged-in user's connection to Spotify.
public enum SpotifyAccount {
    /// The user's client as the collector and the MCP tools make it: the key from the key file
    /// (or `SPOTLOG_ENCRYPTION_KEY`), the client id from the environment or the database, and the
    /// Spotify URL overrides. The key and client id are read only here, when a client is needed.
    public static func client(for user: User, database: SpotlogDatabase, environment: [String: String]) throws
        -> SpotifyClient {
        let fernet = try KeyStore(locations: Locations(environment: environment)).fernet(createIfMissing: false)
        let configuration = try SpotifyConfiguration.resolve(environment: environment, explicitClientID: nil,
                                                             database: database)
        return try client(for: user, database: database, fernet: fernet, configuration: configuration)
    }

    /// An API client for `user`, which must have logged in. Its tokens are refreshed when expired,
    /// and once more after a 401. A refresh answered `invalid_grant` marks the user `needs_reauth`
    /// and fails with an error that says to run `spotlog auth login`. A long rate limit is
    /// remembered in `sync_state`, so the collector can skip the user until then.
    public static func client(for user: User, database: SpotlogDatabase, fernet: Fernet, configuration: SpotifyConfiguration,
                              transport: any HTTPTransport = CurlTransport(), policy: RetryPolicy = RetryPolicy(),
                              sleep: @escaping @Sendable (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }) throws
        -> SpotifyClient {
        let userID = try user.rowID
        let requester = SpotifyRequester(transport: transport, policy: policy, sleep: sleep) { limited in
            try? database.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO sync_state (user_id, rate_limited_until, last_error, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (user_id) DO UPDATE SET rate_limited_until = excluded.rate_limited_until,
                      last_error = excluded.last_error, updated_at = excluded.updated_at
                    """, arguments: [userID, limited.until, limited.spotlogError.message, EpochMillis.now()])
            }
        }
        let tokens = UserTokens(user: user, database: database, fernet: fernet,
                                accounts: SpotifyAccounts(configuration: configuration, requester: requester))
        return SpotifyClient(apiURL: configuration.apiURL, tokens: tokens, requester: requester)
    }
}

/// A user's stored tokens as an access-token provider: refreshed when expired or asked to.
final class UserTokens: AccessTokenProvider, @unchecked Sendable {
    // Safe: every stored property is a constant, and the token refresh they serve runs under `lock`.
    private let user: User
    private let vault: TokenVault
    private let accounts: SpotifyAccounts
    private let database: SpotlogDatabase
    private let lock = NSLock()

    init(user: User, database: SpotlogDatabase, fernet: Fernet, accounts: SpotifyAccounts) {
        self.user = user
        self.database = database
        self.vault = TokenVault(database: database, fernet: fernet)
        self.accounts = accounts
    }

    public func accessToken() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        let tokens = try storedTokens()
        if tokens.accessExpiresAt - 60_000 > EpochMillis.now() { return tokens.accessToken }
        return try refresh(tokens)
    }

    public func refreshedAccessToken() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        return try refresh(try storedTokens())
    }

    private func storedTokens() throws -> StoredTokens {
        guard let tokens = try vault.load(userID: try user.rowID) else {
            throw SpotlogError.authRequired("user '\(user.name)' is not logged in to Spotify; run 'spotlog auth login'")
        }
        return tokens
    }

    private func refresh(_ tokens: StoredTokens) throws -> String {
        do {
            let response = try accounts.refresh(tokens.refreshToken)
            try vault.saveRefresh(response, userID: try user.rowID)
            return response.accessToken
        } catch is InvalidGrant {
            try database.writer.write { db in
                try db.execute(sql: "UPDATE users SET status = 'needs_reauth', updated_at = ? WHERE id = ?",
                               arguments: [EpochMillis.now(), user.id])
            }
            throw SpotlogError.authRequired(
                "Spotify no longer accepts the authorisation of user '\(user.name)' (invalid_grant); run 'spotlog auth login'")
        }
    }
}

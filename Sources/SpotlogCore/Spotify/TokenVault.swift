import Foundation
import GRDB

/// A user's tokens, decrypted.
public struct StoredTokens: Sendable {
    public let accessToken: String
    public let refreshToken: String
    public let accessExpiresAt: EpochMillis
    public let scope: String
    /// When the refresh token was granted: Spotify refresh tokens expire six months later, and
    /// refreshing does not extend that.
    public let authorizedAt: EpochMillis
    public let refreshedAt: EpochMillis?

    public static let refreshTokenLifetime: EpochMillis = 182 * 86_400_000

    public var refreshTokenExpiresAt: EpochMillis { authorizedAt + Self.refreshTokenLifetime }
}

/// Keeps OAuth tokens in `tokens`, each encrypted with Fernet. A token never leaves this type
/// except to the HTTP client; no error message contains one.
public struct TokenVault: Sendable {
    let database: SpotlogDatabase
    let fernet: Fernet

    public init(database: SpotlogDatabase, fernet: Fernet) {
        self.database = database
        self.fernet = fernet
    }

    /// Stores tokens from a new authorisation.
    func saveAuthorization(_ response: SpotifyTokenResponse, userID: Int64, in db: Database) throws {
        guard let refresh = response.refreshToken else {
            throw SpotlogError.unavailable("Spotify's token answer has no refresh token")
        }
        let now = EpochMillis.now()
        try db.execute(sql: """
            INSERT OR REPLACE INTO tokens (user_id, access_token, refresh_token, access_expires_at, scope, authorized_at,
                                           refreshed_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, NULL, ?)
            """, arguments: [userID, try fernet.encrypt(response.accessToken), try fernet.encrypt(refresh),
                             now + EpochMillis(response.expiresIn) * 1000, response.scope ?? "", now, now])
    }

    /// Stores a refreshed access token, and the new refresh token when Spotify sent one.
    func saveRefresh(_ response: SpotifyTokenResponse, userID: Int64) throws {
        let now = EpochMillis.now()
        let newRefresh = try response.refreshToken.map { try fernet.encrypt($0) }
        try database.writer.write { db in
            try db.execute(sql: """
                UPDATE tokens SET access_token = ?, refresh_token = coalesce(?, refresh_token), access_expires_at = ?,
                  scope = coalesce(?, scope), refreshed_at = ?, updated_at = ?
                WHERE user_id = ?
                """, arguments: [try fernet.encrypt(response.accessToken), newRefresh,
                                 now + EpochMillis(response.expiresIn) * 1000, response.scope, now, now, userID])
        }
    }

    /// The user's tokens, or `nil` when there are none.
    public func load(userID: Int64) throws -> StoredTokens? {
        guard let row = try database.reader.read({ db in
            try Row.fetchOne(db, sql: "SELECT * FROM tokens WHERE user_id = ?", arguments: [userID])
        }) else { return nil }
        do {
            return StoredTokens(accessToken: try fernet.decryptString(try row.decode(forColumn: "access_token")),
                                refreshToken: try fernet.decryptString(try row.decode(forColumn: "refresh_token")),
                                accessExpiresAt: try row.decode(forColumn: "access_expires_at"),
                                scope: try row.decode(forColumn: "scope"),
                                authorizedAt: try row.decode(forColumn: "authorized_at"),
                                refreshedAt: try row.decode(forColumn: "refreshed_at"))
        } catch is Fernet.InvalidToken {
            throw SpotlogError.configuration("""
                the saved Spotify tokens cannot be decrypted with this encryption key (did SPOTLOG_ENCRYPTION_KEY or \
                the key file change?); run 'spotlog auth login' again
                """)
        }
    }

    /// Forgets a user's tokens (the listening history stays); whether there were any.
    @discardableResult
    public static func forget(userID: Int64, in database: SpotlogDatabase) throws -> Bool {
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM tokens WHERE user_id = ?", arguments: [userID])
            return db.changesCount > 0
        }
    }
}

/// What `spotlog auth status` reports for one user, read offline.
public struct LoginState: Sendable {
    public enum Token: String, Sendable { case valid, expired, none, undecryptable }

    public let user: User
    public let token: Token
    public let tokens: StoredTokens?
    public let rateLimitedUntil: EpochMillis?

    /// The login state of each user; `fernet` is `nil` when there is no key yet.
    public static func read(_ users: [User], database: SpotlogDatabase, fernet: Fernet?, now: EpochMillis = .now()) throws
        -> [LoginState] {
        try users.map { user in
            let (hasTokens, limited) = try database.reader.read { db in
                (try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM tokens WHERE user_id = ?)", arguments: [user.id]) ?? false,
                 try EpochMillis.fetchOne(db, sql: "SELECT rate_limited_until FROM sync_state WHERE user_id = ?",
                                          arguments: [user.id]))
            }
            let tokens = hasTokens ? fernet.flatMap { try? TokenVault(database: database, fernet: $0).load(userID: try user.rowID) } : nil
            let token: Token = !hasTokens ? .none : tokens.map { $0.accessExpiresAt > now ? .valid : .expired } ?? .undecryptable
            return LoginState(user: user, token: token, tokens: tokens, rateLimitedUntil: limited.flatMap { $0 > now ? $0 : nil })
        }
    }
}

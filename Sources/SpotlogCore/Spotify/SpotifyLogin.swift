import Crypto
import Foundation
import GRDB

/// The Authorization Code flow with PKCE (S256) and a verified `state`: builds the authorisation
/// URL, receives the redirect, trades the code for tokens, asks Spotify who logged in, attaches
/// the login to the right local user, and stores the tokens encrypted.
public final class SpotifyLogin {
    /// How the redirect comes back.
    public enum Callback {
        /// A one-shot listener on 127.0.0.1 at this port (0 picks a free one).
        case loopback(port: Int, timeout: TimeInterval)
        /// The user pastes the URL the browser was redirected to (headless machines).
        case manual(redirectPort: Int, readRedirect: () throws -> String?)
    }

    /// What the user sees and decides during login.
    public struct Interaction {
        /// Shows the authorisation URL (and perhaps opens a browser) once the callback is ready.
        public var present: (URL) -> Void
        /// Picks one of several users that could own this login, or throws.
        public var choose: ([User]) throws -> User

        public init(present: @escaping (URL) -> Void, choose: @escaping ([User]) throws -> User) {
            self.present = present
            self.choose = choose
        }
    }

    public struct Result: Sendable {
        public let user: User
        public let profile: SpotifyUserProfile
    }

    private let database: SpotlogDatabase
    private let fernet: Fernet
    private let configuration: SpotifyConfiguration
    private let transport: any HTTPTransport
    private let policy: RetryPolicy

    public init(database: SpotlogDatabase, fernet: Fernet, configuration: SpotifyConfiguration,
                transport: any HTTPTransport = CurlTransport(), policy: RetryPolicy = RetryPolicy()) {
        self.database = database
        self.fernet = fernet
        self.configuration = configuration
        self.transport = transport
        self.policy = policy
    }

    public func run(callback: Callback, userHandle: String?, interaction: Interaction) throws -> Result {
        let verifier = Self.randomString(length: 64)
        let state = Self.randomString(length: 32)
        let fields: [String: String]
        let redirectURI: String
        switch callback {
        case .loopback(let port, let timeout):
            let listener = try LoopbackListener(port: port)
            redirectURI = "http://127.0.0.1:\(listener.port)/callback"
            interaction.present(authorizationURL(redirectURI: redirectURI, state: state, verifier: verifier))
            fields = try listener.waitForCallback(timeout: timeout)
        case .manual(let port, let readRedirect):
            redirectURI = "http://127.0.0.1:\(port)/callback"
            interaction.present(authorizationURL(redirectURI: redirectURI, state: state, verifier: verifier))
            guard let pasted = try readRedirect(), let query = URLComponents(string: pasted.trimmingCharacters(in: .whitespaces))?
                .percentEncodedQuery else {
                throw SpotlogError.usage("that is not the URL Spotify redirected to (it should contain ?code=...&state=...)")
            }
            fields = FormEncoding.decode(query)
        }
        if let error = fields["error"] {
            throw SpotlogError.authRequired("Spotify did not authorise spotlog: \(error)")
        }
        guard fields["state"] == state else {
            throw SpotlogError.authRequired("the answer's state does not match the request (a forged or stale redirect); try again")
        }
        guard let code = fields["code"], !code.isEmpty else {
            throw SpotlogError.authRequired("Spotify's answer has no authorisation code")
        }
        let requester = SpotifyRequester(transport: transport, policy: policy)
        let tokens = try SpotifyAccounts(configuration: configuration, requester: requester)
            .exchange(code: code, redirectURI: redirectURI, verifier: configuration.clientSecret == nil ? verifier : nil)
        let profile = try profileOf(tokens.accessToken, requester: requester)
        let user = try database.writer.write { db -> User in
            var user = try owner(of: profile, handle: userHandle, choose: interaction.choose, in: db)
            user.spotifyId = profile.id
            user.displayName = profile.displayName ?? user.displayName
            user.status = .active
            user.updatedAt = .now()
            try user.save(db)
            try TokenVault(database: database, fernet: fernet).saveAuthorization(tokens, userID: try user.rowID, in: db)
            try Settings.set(Settings.clientID, configuration.clientID, in: db)
            return user
        }
        return Result(user: user, profile: profile)
    }

    /// The URL the user opens to authorise spotlog.
    func authorizationURL(redirectURI: String, state: String, verifier: String) -> URL {
        var query = [
            "client_id": configuration.clientID, "response_type": "code", "redirect_uri": redirectURI, "state": state,
            "scope": SpotifyConfiguration.scopes.joined(separator: " "),
        ]
        if configuration.clientSecret == nil {
            query["code_challenge_method"] = "S256"
            query["code_challenge"] = Self.challenge(for: verifier)
        }
        var components = URLComponents(url: configuration.accountsURL.appendingPathComponent("authorize"),
                                       resolvingAgainstBaseURL: false)!
        components.percentEncodedQuery = FormEncoding.encode(query)
        return components.url!
    }

    /// base64url(SHA-256(verifier)) without padding.
    static func challenge(for verifier: String) -> String {
        Base64URL.encode(Data(SHA256.hash(data: Data(verifier.utf8))), padded: false)
    }

    /// Random characters from the PKCE verifier alphabet.
    static func randomString(length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }

    private func profileOf(_ accessToken: String, requester: SpotifyRequester) throws -> SpotifyUserProfile {
        try SpotifyClient(apiURL: configuration.apiURL, tokens: FixedToken(accessToken), requester: requester).me()
    }

    /// Whose login this is: the user with this Spotify id; else the one named by `--user`; else
    /// the only user without a Spotify id (one an offline import made); else a new user.
    private func owner(of profile: SpotifyUserProfile, handle: String?, choose: ([User]) throws -> User,
                       in db: Database) throws -> User {
        if let existing = try User.filter(Column("spotify_id") == profile.id).fetchOne(db) {
            if let handle, existing.name != handle {
                throw SpotlogError.usage("Spotify account '\(profile.id)' belongs to user '\(existing.name)', not '\(handle)'")
            }
            return existing
        }
        if let handle {
            if let named = try UserDirectory.find(handle, in: db) {
                if let other = named.spotifyId, other != profile.id {
                    throw SpotlogError.usage("user '\(named.name)' is Spotify account '\(other)', not '\(profile.id)'")
                }
                return named
            }
            return try UserDirectory.create(name: handle, in: db)
        }
        let candidates = try User.filter(Column("spotify_id") == nil).order(Column("id")).fetchAll(db)
        switch candidates.count {
        case 0: return try UserDirectory.find(profile.id, in: db) ?? UserDirectory.create(name: profile.id, in: db)
        case 1: return candidates[0]
        default: return try choose(candidates)
        }
    }
}

/// A token that is valid for the moment (right after the code exchange).
private final class FixedToken: AccessTokenProvider, Sendable {
    let token: String
    init(_ token: String) { self.token = token }
    func accessToken() throws -> String { token }
    func refreshedAccessToken() throws -> String { throw SpotlogError.authRequired("the new access token was rejected") }
}

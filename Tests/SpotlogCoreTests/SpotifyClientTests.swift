import Foundation
import GRDB
import SpotlogTestSupport
import Testing
@testable import SpotlogCore

/// Login, tokens and the API client against the fake Spotify on 127.0.0.1.
@Suite struct SpotifyClientTests {
    /// A fake Spotify, a database, and the sleeps the client asked for (instead of sleeping).
    final class World: @unchecked Sendable {
        let fake: FakeSpotify
        let database: SpotlogDatabase
        let fernet = try! Fernet(key: Fernet.generateKey())
        private let lock = NSLock()
        private var slept: [TimeInterval] = []

        init() throws {
            fake = try FakeSpotify()
            database = try SpotlogDatabase.inMemory()
        }

        var sleeps: [TimeInterval] { lock.lock(); defer { lock.unlock() }; return slept }

        func configuration(secret: String? = nil) -> SpotifyConfiguration {
            SpotifyConfiguration(accountsURL: fake.baseURL, apiURL: fake.baseURL, clientID: "test-client", clientSecret: secret)
        }

        /// Logs in, acting as the browser.
        @discardableResult
        func login(user: String? = nil, secret: String? = nil) throws -> SpotifyLogin.Result {
            let interaction = SpotifyLogin.Interaction(
                present: { url in Thread { _ = try? self.fake.authorize(url) }.start() },
                choose: { _ in throw SpotlogError.usage("several candidates") })
            return try SpotifyLogin(database: database, fernet: fernet, configuration: configuration(secret: secret))
                .run(callback: .loopback(port: 0, timeout: 10), userHandle: user, interaction: interaction)
        }

        /// The client of the logged-in user, recording sleeps instead of sleeping.
        func client(transport: any HTTPTransport = CurlTransport()) throws -> SpotifyClient {
            let user = try #require(try UserDirectory(database: database).all().first { $0.spotifyId != nil })
            return try SpotifyAccount.client(for: user, database: database, fernet: fernet, configuration: configuration(),
                                         transport: transport, sleep: { seconds in
                                             self.lock.lock(); self.slept.append(seconds); self.lock.unlock()
                                         })
        }

        /// Makes the stored access token look expired, so the next call refreshes it.
        func expireAccessToken() throws {
            try database.writer.write { try $0.execute(sql: "UPDATE tokens SET access_expires_at = 0") }
        }

        func requests(to path: String) throws -> [[String: Any]] {
            try fake.requests().filter { $0["path"] as? String == path }
        }

        /// Every token the fake handed out.
        func issuedTokens() throws -> [String] {
            try fake.requests().compactMap { ($0["headers"] as? [String: String])?["Authorization"] }
                .filter { $0.hasPrefix("Bearer ") }.map { String($0.dropFirst(7)) }
        }

        func dump() throws -> String {
            try database.reader.read { db in
                try ["tokens", "users", "settings", "sync_state"].flatMap { try Row.fetchAll(db, sql: "SELECT * FROM \($0)") }
                    .map(\.description).joined(separator: "\n")
            }
        }
    }

    @Test func loginWithPKCEStoresEncryptedTokensForANewUser() throws {
        let world = try World()
        let result = try world.login()
        #expect(result.profile.id == "sample_listener")
        #expect(result.user.name == "sample_listener")
        #expect(result.user.displayName == "Sample Listener")
        let authorize = try #require(try world.requests(to: "/authorize").first?["query"] as? [String: String])
        #expect(authorize["code_challenge_method"] == "S256")
        #expect(authorize["code_challenge"]?.count == 43)
        #expect(authorize["redirect_uri"]?.hasPrefix("http://127.0.0.1:") == true)
        #expect(authorize["scope"] == SpotifyConfiguration.scopes.joined(separator: " "))
        let token = try #require(try world.requests(to: "/api/token").first?["form"] as? [String: String])
        #expect(token["grant_type"] == "authorization_code")
        #expect(token["code_verifier"]?.count == 64)
        let dump = try world.dump()
        #expect(dump.contains("gAAAA"), "tokens are Fernet tokens")
        for issued in try world.issuedTokens() { #expect(!dump.contains(issued), "no token is stored in the clear") }
        #expect(try world.database.reader.read { try Settings.get(Settings.clientID, in: $0) } == "test-client")
    }

    @Test func loginAttachesToTheUserAnOfflineImportMade() throws {
        let world = try World()
        try UserDirectory(database: world.database).create(name: "default")
        try world.login()
        #expect(try UserDirectory(database: world.database).all().map(\.name) == ["default"])
        #expect(try UserDirectory(database: world.database).find("sample_listener")?.name == "default")
    }

    @Test func confidentialFlowUsesBasicAuthInsteadOfPKCE() throws {
        let world = try World()
        try world.login(secret: "fake-secret")
        let request = try #require(try world.requests(to: "/api/token").first)
        #expect((request["form"] as? [String: String])?["code_verifier"] == nil)
        #expect((request["headers"] as? [String: String])?["Authorization"]?.hasPrefix("Basic ") == true)
        #expect((try world.requests(to: "/authorize").first?["query"] as? [String: String])?["code_challenge"] == nil)
    }

    @Test func deniedOrForgedRedirectsFail() throws {
        let world = try World()
        try world.fake.control("config", ["deny": true])
        #expect { try world.login() } throws: { ($0 as? SpotlogError)?.message == "Spotify did not authorise spotlog: access_denied" }
        try world.fake.control("config", ["deny": false, "wrong_state": true])
        #expect { try world.login() } throws: { ($0 as? SpotlogError)?.message.contains("state does not match") == true }
        #expect(try world.requests(to: "/api/token").isEmpty, "no code is exchanged for a forged redirect")
    }

    @Test func expiredAccessTokensAreRefreshedAndANewRefreshTokenKept() throws {
        let world = try World()
        try world.login()
        try world.expireAccessToken()
        let before = try TokenVault(database: world.database, fernet: world.fernet).load(userID: 1)!
        #expect(try world.client().me().id == "sample_listener")
        let after = try TokenVault(database: world.database, fernet: world.fernet).load(userID: 1)!
        #expect(after.refreshToken != before.refreshToken, "the new refresh token is stored")
        #expect(after.refreshedAt != nil)
        #expect(after.authorizedAt == before.authorizedAt, "refreshing does not extend the authorisation")

        try world.fake.control("config", ["omit_refresh_token": true])
        try world.expireAccessToken()
        _ = try world.client().me()
        #expect(try TokenVault(database: world.database, fernet: world.fernet).load(userID: 1)!.refreshToken == after.refreshToken,
                "without a new refresh token the old one is kept")
    }

    @Test func aRevokedRefreshTokenNeedsReauthorisation() throws {
        let world = try World()
        try world.login()
        try world.expireAccessToken()
        try world.fake.control("revoke")
        #expect { try world.client().me() } throws: { error in
            let error = error as? SpotlogError
            return error?.category == .authRequired && error?.message.contains("spotlog auth login") == true
        }
        #expect(try UserDirectory(database: world.database).all().first?.status == .needsReauth)
    }

    @Test func a401RefreshesOnceAndRetries() throws {
        let world = try World()
        try world.login()
        try world.fake.control("faults", ["faults": [["path": "/v1/me", "status": 401, "times": 1]]])
        #expect(try world.client().me().id == "sample_listener")
        #expect(try world.requests(to: "/api/token").count == 2, "the code exchange, then one refresh")
    }

    @Test func shortRateLimitsAreWaitedOutLongOnesFail() throws {
        let world = try World()
        try world.login()
        try world.fake.control("faults", ["faults": [["path": "/v1/me/player/recently-played", "status": 429, "retry_after": 2]]])
        #expect(try world.client().recentlyPlayed().items.count == 50)
        #expect(world.sleeps == [2])

        try world.fake.control("faults", ["faults": [["path": "/v1/me/player/recently-played", "status": 429, "retry_after": 3600]]])
        let started = EpochMillis.now()
        #expect { try world.client().recentlyPlayed() } throws: { error in
            guard let limited = error as? SpotifyRateLimited else { return false }
            return !limited.quotaExceeded && limited.until >= started + 3_600_000
                && limited.spotlogError.category == .temporary && limited.spotlogError.message.hasPrefix("rate limited by Spotify until")
        }
        let until = try world.database.reader.read { try EpochMillis.fetchOne($0, sql: "SELECT rate_limited_until FROM sync_state") }
        #expect((until ?? 0) >= started + 3_600_000, "remembered so the collector skips the user")

        try world.fake.control("faults", ["faults": [["path": "/v1/me", "status": 429, "retry_after": 1,
                                                       "body": ["error": ["status": 429, "message": "limit", "reason": "QUOTA_EXCEEDED"]]]]])
        #expect { try world.client().me() } throws: { ($0 as? SpotifyRateLimited)?.quotaExceeded == true }
    }

    @Test func serverErrorsAndTimeoutsAreRetriedWithBackoff() throws {
        let world = try World()
        try world.login()
        try world.fake.control("faults", ["faults": [["path": "/v1/me", "status": 503, "times": 2]]])
        #expect(try world.client().me().id == "sample_listener")
        #expect(world.sleeps.count == 2)
        #expect(world.sleeps[0] >= 0.5 && world.sleeps[0] <= 0.75)
        #expect(world.sleeps[1] >= 1.0 && world.sleeps[1] <= 1.5, "exponential, with jitter")

        try world.fake.control("faults", ["faults": [["path": "/v1/me", "status": 500, "times": 10]]])
        #expect { try world.client().me() } throws: { error in
            (error as? SpotlogError)?.message == "Spotify failed (/v1/me): HTTP 500 after 4 attempts"
        }

        try world.fake.control("faults", ["faults": [["path": "/v1/me", "delay_ms": 6000, "times": 1]]])
        #expect(try world.client(transport: CurlTransport(timeout: 2)).me().id == "sample_listener",
                "a timed-out request is retried")
    }

    @Test func theTransportSpeaksOnlyHTTP() throws {
        let file = try #require(URL(string: "file:///etc/hostname"))
        #expect { try CurlTransport(timeout: 2).send(HTTPRequest(url: file)) } throws: { error in
            guard case .failed(let message)? = error as? HTTPTransportError else { return false }
            return message.contains("file")
        }
    }

    @Test func malformedJSONIsAClearError() throws {
        let world = try World()
        try world.login()
        try world.fake.control("faults", ["faults": [["path": "/v1/me/player/recently-played", "malformed": true]]])
        #expect { try world.client().recentlyPlayed() } throws: { error in
            (error as? SpotlogError)?.message == "Spotify sent malformed JSON for /v1/me/player/recently-played"
        }
    }

    @Test func batchLookupsFallBackToSingleItemsWhenTheEndpointIsGone() throws {
        let world = try World()
        try world.login()
        let ids = ["track000yyyyyyyyyyyyyy", "track011yyyyyyyyyyyyyy"]
        #expect(try world.client().tracks(ids: ids).map(\.name) == ["Jóga", "Glósóli"])
        try world.fake.control("config", ["batch_endpoints_gone": true])
        try world.fake.control("requests/clear")
        let client = try world.client()
        #expect(try client.tracks(ids: ids).map(\.name) == ["Jóga", "Glósóli"])
        #expect(try world.requests(to: "/v1/tracks").count == 1, "one failed batch request")
        #expect(try world.fake.requests().filter { ($0["path"] as? String)?.hasPrefix("/v1/tracks/") == true }.count == 2)
        _ = try client.tracks(ids: ids)
        #expect(try world.requests(to: "/v1/tracks").count == 1, "the client remembers the batch endpoint is gone")
    }

    @Test func recentlyPlayedCursorsPageBackOverTheLastFiftyPlays() throws {
        let world = try World()
        try world.login()
        let client = try world.client()
        var seen: [String] = []
        var page = try client.recentlyPlayed(limit: 20)
        while !page.items.isEmpty {
            seen += page.items.map(\.playedAt)
            guard let before = page.cursors?.before.flatMap({ Int64($0) }) else { break }
            page = try client.recentlyPlayed(limit: 20, before: before)
        }
        #expect(seen.count == 50)
        #expect(Set(seen).count == 50)
        #expect(seen == seen.sorted(by: >), "newest first")
        #expect(page.cursors == nil, "no cursors on an empty page")
        let newest = try #require(EpochMillis(iso8601: seen[0]))
        #expect(try client.recentlyPlayed(after: newest).items.isEmpty)
        #expect(try client.recentlyPlayed(after: newest - 1).items.count == 1)
    }

    @Test func profileTopItemsSearchAndSingleLookups() throws {
        let world = try World()
        try world.login()
        let client = try world.client()
        #expect(try client.topArtists(limit: 3).items.map(\.name) == ["Björk", "Sigur Rós", "坂本龍一"])
        #expect(try client.topTracks(range: .short, limit: 2).items.count == 2)
        #expect(try world.requests(to: "/v1/me/top/tracks").last?["query"] as? [String: String]
                == ["time_range": "short_term", "limit": "2"])
        #expect(try client.search("hoppí").tracks?.items.map(\.name) == ["Hoppípolla"])
        #expect(try client.artist(id: "artist00xxxxxxxxxxxxxx").name == "Björk")
        #expect { try client.track(id: "nope") } throws: { ($0 as? SpotlogError)?.category == .notFound }
    }

    @Test func tokensNeverAppearInErrors() throws {
        let world = try World()
        try world.login()
        try world.fake.control("faults", ["faults": [["path": "/v1/me", "status": 500, "times": 10]]])
        var messages: [String] = []
        do { _ = try world.client().me() } catch { messages.append(String(describing: error)) }
        try world.fake.control("revoke")
        try world.expireAccessToken()
        do { _ = try world.client().me() } catch { messages.append(String(describing: error)) }
        let wrongKey = try SpotifyAccount.client(for: try UserDirectory(database: world.database).all()[0], database: world.database,
                                             fernet: try Fernet(key: Fernet.generateKey()), configuration: world.configuration())
        do { _ = try wrongKey.me() } catch { messages.append(String(describing: error)) }
        #expect(messages.count == 3)
        #expect(messages[2].contains("cannot be decrypted"))
        for token in try world.issuedTokens() {
            #expect(messages.allSatisfy { !$0.contains(token) })
        }
    }
}

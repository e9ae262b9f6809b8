import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SpotlogTestSupport
import Testing

/// `spotlog auth` through the built binary, against the fake Spotify.
@Suite struct AuthEndToEndTests {
    /// Runs `spotlog auth login ...`, acting as the browser once the URL is printed.
    static func login(_ sandbox: Sandbox, _ fake: FakeSpotify, _ extra: [String] = [], browse: Bool = true) throws -> Sandbox.Result {
        let process = Process()
        process.executableURL = Sandbox.binary
        process.arguments = ["auth", "login", "--no-browser", "--port", "0"] + extra
        process.environment = sandbox.environment.merging(fake.environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        var stderr = Data()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, process.isRunning || !stderr.isEmpty {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            stderr += chunk
            let text = String(decoding: stderr, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.contains("/authorize?") }) {
                if browse { _ = try fake.authorize(URL(string: line.trimmingCharacters(in: .whitespaces))!) }
                break
            }
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        stderr += err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Sandbox.Result(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                              stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func loginStatusAndLogout() throws {
        let sandbox = try Sandbox(), fake = try FakeSpotify()
        let imported = try sandbox.run(["import", ImportEndToEndTests.sample, "--quiet", "--user", "me"])
        #expect(imported.status == 0)
        let login = try Self.login(sandbox, fake, ["--json"])
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stderr.hasPrefix("spotlog: open this URL to authorise spotlog:\n  \(fake.baseURL.absoluteString)/authorize?"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(login.stdout.utf8)) as? [String: Any])
        #expect(document["user"] as? String == "me", "the login joins the history the import made")
        #expect(document["spotify_id"] as? String == "sample_listener")

        let status = try sandbox.run(["auth", "status", "--json"])
        let items = try #require((try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?["items"]
            as? [[String: Any]])
        #expect(items.count == 1)
        #expect(items[0]["token"] as? String == "valid")
        #expect(items[0]["refresh_token_age_days"] as? Int == 0)
        let expires = try #require(items[0]["refresh_token_expires_at"] as? String)
        #expect(expires > "2026", "six months after authorisation")
        let human = try sandbox.run(["auth", "status"])
        #expect(human.stdout.contains("sample_listener"))

        let tokens = try fake.requests().compactMap { ($0["headers"] as? [String: String])?["Authorization"] }
            .filter { $0.hasPrefix("Bearer ") }.map { String($0.dropFirst(7)) }
        #expect(!tokens.isEmpty)
        let database = try Data(contentsOf: sandbox.defaultDatabase)
        let key = try String(contentsOf: sandbox.configHome.appendingPathComponent("spotlog/key"), encoding: .utf8)
        for token in tokens {
            for text in [login.stdout, login.stderr, status.stdout, human.stdout] { #expect(!text.contains(token)) }
            #expect(database.range(of: Data(token.utf8)) == nil, "the database holds no token in the clear")
        }
        let keyMode = try FileManager.default.attributesOfItem(atPath: sandbox.configHome.appendingPathComponent("spotlog/key").path)
        #expect(keyMode[.posixPermissions] as? Int == 0o600)

        let otherKey = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="  // a valid key, not the one in the key file
        #expect(key.trimmingCharacters(in: .whitespacesAndNewlines) != otherKey)
        let wrongKey = try sandbox.run(["auth", "status", "--json"], environment: ["SPOTLOG_ENCRYPTION_KEY": otherKey])
        #expect(wrongKey.stdout.contains("\"token\": \"undecryptable\""), "a wrong key is reported, never garbage")

        let logout = try sandbox.run(["auth", "logout"])
        #expect(logout.status == 0)
        #expect(logout.stdout == "logged user 'me' out of Spotify; the history stays\n")
        #expect(try sandbox.run(["auth", "status", "--json"]).stdout.contains("\"token\": \"none\""))
        #expect(try sandbox.run(["admin", "status", "--json"]).stdout.contains("\"plays\": 3024"))
    }

    @Test func deniedAuthorisationFailsWithExit77() throws {
        let sandbox = try Sandbox(), fake = try FakeSpotify()
        try fake.control("config", ["deny": true])
        let result = try Self.login(sandbox, fake)
        #expect(result.status == 77)
        #expect(result.stderr.hasSuffix("spotlog: error: Spotify did not authorise spotlog: access_denied\n"))
    }

    @Test func timeoutWithoutABrowser() throws {
        let sandbox = try Sandbox(), fake = try FakeSpotify()
        let result = try Self.login(sandbox, fake, ["--timeout", "1s"], browse: false)
        #expect(result.status == 77)
        #expect(result.stderr.contains("no answer from the browser within 1 seconds"))
    }

    @Test func manualLoginReadsThePastedURL() throws {
        let sandbox = try Sandbox(), fake = try FakeSpotify()
        let process = Process()
        process.executableURL = Sandbox.binary
        process.arguments = ["auth", "login", "--manual", "--port", "8888"]
        process.environment = sandbox.environment.merging(fake.environment) { $1 }
        let input = Pipe(), out = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        var stderr = ""
        while !stderr.contains("press Enter") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            stderr += String(decoding: chunk, as: UTF8.self)
        }
        let url = try #require(stderr.split(separator: "\n").first { $0.contains("/authorize?") })
        let redirect = try HTTP.send(URLRequest(url: URL(string: url.trimmingCharacters(in: .whitespaces))!))
        #expect(redirect.location?.hasPrefix("http://127.0.0.1:8888/callback?code=") == true)
        input.fileHandleForWriting.write(Data((redirect.location! + "\n").utf8))
        try input.fileHandleForWriting.close()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(output.hasPrefix("logged in to Spotify as Sample Listener (sample_listener)"))
    }

    @Test func severalPossibleOwnersNeedUser() throws {
        let sandbox = try Sandbox(), fake = try FakeSpotify()
        let file = sandbox.root.appendingPathComponent("StreamingHistory_music_0.json")
        try Data("[{\"endTime\": \"2024-05-01 12:00\", \"artistName\": \"A\", \"trackName\": \"B\", \"msPlayed\": 40000}]".utf8)
            .write(to: file)
        for name in ["anna", "ben"] {  // account data has no username: neither user gets a Spotify id
            #expect(try sandbox.run(["import", file.path, "--quiet", "--user", name]).status == 0)
        }
        let ambiguous = try Self.login(sandbox, fake)
        #expect(ambiguous.status == 64)
        #expect(ambiguous.stderr.hasSuffix("spotlog: error: several users could own this login; choose one with --user "
                                           + "(users: anna, ben)\n"))
        let chosen = try Self.login(sandbox, fake, ["--user", "ben", "--json"])
        #expect(chosen.status == 0)
        #expect(chosen.stdout.contains("\"user\": \"ben\""))
        let status = try sandbox.run(["auth", "status", "--json"]).stdout
        #expect(status.contains("\"user\": \"anna\",\n      \"spotify_id\": null"))
    }

    @Test func configurationErrors() throws {
        let sandbox = try Sandbox()
        let noClient = try sandbox.run(["auth", "login", "--no-browser"])
        #expect(noClient.status == 78)
        #expect(noClient.stderr.hasPrefix("spotlog: error: no Spotify client id (create an app at"))
        #expect(noClient.stderr.hasSuffix("; pass --client-id or set SPOTIFY_CLIENT_ID\n"))
        let badKey = try sandbox.run(["auth", "login", "--no-browser", "--client-id", "x"], environment: ["SPOTLOG_ENCRYPTION_KEY": "short"])
        #expect(badKey.status == 78)
        let badURL = try sandbox.run(["auth", "login", "--client-id", "x"], environment: ["SPOTLOG_SPOTIFY_API_URL": "not a url"])
        #expect(badURL.status == 78)
        let noUsers = try sandbox.run(["auth", "logout"])
        #expect(noUsers.status == 66)
    }
}

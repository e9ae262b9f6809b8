import Foundation
import SpotlogTestSupport
import Testing

/// `spotlog mcp-serve` driven by the official MCP Python SDK (`Tests/MCPClient`), in the legacy
/// handshake and in the stateless revision, and `spotlog mcp-call`: both must return exactly the
/// documents `spotlog history ... --json` prints.
@Suite struct McpEndToEndTests {
    /// Each history tool with arguments, and the CLI command that must print the same document.
    static var historyCalls: [(tool: String, arguments: [String: Any], command: [String])] { [
        ("history.taste_summary", ["period": "6m"], ["summary", "--period", "6m"]),
        ("history.top_artists", ["limit": 3, "by": "time"], ["top-artists", "-n", "3", "--by", "time"]),
        ("history.top_tracks", ["period": "2024", "limit": 5], ["top-tracks", "--period", "2024", "-n", "5"]),
        ("history.top_albums", [:], ["top-albums"]),
        ("history.listening_heatmap", ["period": "2024", "tz": "America/New_York"],
         ["heatmap", "--period", "2024", "--tz", "America/New_York"]),
        ("history.repeat_rate", ["limit": 3, "min_played": "0"], ["repeat-rate", "-n", "3", "--min-played", "0"]),
        ("history.coverage", ["gap": "3d"], ["coverage", "--gap", "3d"]),
        ("history.recent", ["limit": 5, "kind": "all"], ["recent", "-n", "5", "--kind", "all"]),
        ("history.timeline", ["per": "week", "period": "6m"], ["timeline", "--per", "week", "--period", "6m"]),
        ("history.streaks", ["artist": "björk"], ["streaks", "--artist", "björk"]),
        ("history.discoveries", ["of": "tracks", "from": "2025-01-01", "to": "2025-03-31"],
         ["discoveries", "--of", "tracks", "--from", "2025-01-01", "--to", "2025-03-31"]),
        ("history.search", ["query": "sigur", "limit": 3], ["search", "sigur", "-n", "3"]),
        ("history.forgotten", ["min_plays": 2, "not_since": "1w"],
         ["forgotten", "--min-plays", "2", "--not-since", "1w"]),
        ("history.artist", ["name": "bjork", "period": "2024", "tz": "Asia/Kathmandu"],
         ["artist", "bjork", "--period", "2024", "--tz", "Asia/Kathmandu"]),
        ("history.track", ["name": "hoppipolla", "limit": 2], ["track", "hoppipolla", "-n", "2"]),
        ("history.album", ["name": "In Rainbows", "artist": "radiohead", "period": "6m"],
         ["album", "In Rainbows", "--artist", "radiohead", "--period", "6m"]),
        ("history.compare", ["period": "2025-05"], ["compare", "--period", "2025-05"]),
        ("history.wrapped", ["period": "2024"], ["wrapped", "--period", "2024"]),
        ("history.skips", ["limit": 3], ["skips", "-n", "3"]),
        ("history.sessions", ["gap": "10m", "kind": "all"], ["sessions", "--gap", "10m", "--kind", "all"]),
    ] }

    /// Calls that must fail as tool results, with the start of their message.
    static var failingCalls: [(tool: String, arguments: [String: Any], message: String)] { [
        ("history.recent", ["limit": 0], "'limit': expected a whole number from 1 to 100000"),
        ("history.top_artists", ["perod": "1y"], "unknown argument 'perod'; did you mean 'period'?"),
        ("history.artist", ["name": "bjrok"], "no artist named 'bjrok' in your history; did you mean 'Björk'?"),
        ("history.timeline", ["per": "fortnight"], "'per': invalid value 'fortnight'"),
        ("history.streaks", ["artist": "Nobody"], "no artist named 'Nobody'"),
        ("spotify.get_top", ["entity": "artists"], "no user is logged in to Spotify; run 'spotlog auth login'"),
    ] }

    /// Runs the client script; returns its report per mode ("legacy", "auto").
    static func client(calls: [[String: Any]], environment: [String: String]) throws -> [String: [String: Any]] {
        let process = Process()
        let python = ProcessInfo.processInfo.environment["SPOTLOG_TEST_PYTHON"]
        process.executableURL = URL(fileURLWithPath: python ?? "/usr/bin/env")
        let script = Sandbox.packageRoot.appendingPathComponent("Tests/MCPClient/mcp_client_check.py").path
        let callsJSON = String(decoding: try JSONSerialization.data(withJSONObject: calls), as: UTF8.self)
        let environmentJSON = String(decoding: try JSONSerialization.data(withJSONObject: environment), as: UTF8.self)
        process.arguments = (python == nil ? ["python3"] : []) + [script, Sandbox.binary.path, callsJSON, environmentJSON]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errors = Thread { _ = err.fileHandleForReading.readDataToEndOfFile() }
        errors.start()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "the MCP client failed; is the 'mcp' package installed?")
        return try #require(try JSONSerialization.jsonObject(with: output) as? [String: [String: Any]])
    }

    static func document(_ result: Sandbox.Result) throws -> NSDictionary {
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? NSDictionary)
    }

    static func toolNames(_ sandbox: Sandbox) throws -> [String] {
        let listing = try document(try sandbox.run(["mcp-call", "--list", "--json"]))
        return try #require(listing["tools"] as? [[String: Any]]).compactMap { $0["name"] as? String }
    }

    @Test func theOfficialClientGetsTheCLIDocumentsInBothEras() throws {
        let sandbox = try HistoryEndToEndTests.sandbox()
        let calls = Self.historyCalls.map { ["tool": $0.tool, "arguments": $0.arguments] as [String: Any] }
            + Self.failingCalls.map { ["tool": $0.tool, "arguments": $0.arguments] as [String: Any] }
        let environment = sandbox.environment.merging(["SPOTLOG_DB": sandbox.defaultDatabase.path]) { $1 }
        let report = try Self.client(calls: calls, environment: environment)
        let names = try Self.toolNames(sandbox)
        #expect(names.count == 25)
        for (mode, version) in [("legacy", "2025-11-25"), ("auto", "2026-07-28")] {
            let seen = try #require(report[mode])
            #expect(seen["protocol_version"] as? String == version)
            let tools = try #require(seen["tools"] as? [[String: Any]])
            #expect(tools.compactMap { $0["name"] as? String } == names, "\(mode)")
            #expect(tools.allSatisfy { $0["has_output_schema"] as? Bool == true && $0["read_only"] as? Bool == true })
            #expect(tools.filter { $0["open_world"] as? Bool == true }.compactMap { $0["name"] as? String }
                    == ["spotify.get_top", "spotify.search"])
            let outcomes = try #require(seen["calls"] as? [[String: Any]])
            for (call, outcome) in zip(Self.historyCalls, outcomes) {
                #expect(outcome["is_error"] as? Bool == false, "\(mode) \(call.tool): \(outcome["text"] ?? "")")
                let cli = try Self.document(try sandbox.run(["history"] + call.command + ["--json"]))
                let structured = try #require(outcome["structured"] as? NSDictionary, "\(mode) \(call.tool)")
                #expect(structured.isEqual(cli), "\(mode) \(call.tool)")
                let text = try #require(outcome["text"] as? String)
                #expect((try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary)?.isEqual(cli) == true)
            }
            for (call, outcome) in zip(Self.failingCalls, outcomes.dropFirst(Self.historyCalls.count)) {
                #expect(outcome["is_error"] as? Bool == true, "\(mode) \(call.tool)")
                #expect((outcome["text"] as? String)?.hasPrefix(call.message) == true, "\(mode) \(call.tool): \(outcome["text"] ?? "")")
            }
        }
    }

    @Test func spotifyToolsAskTheFakeSpotifyForTheLoggedInUser() throws {
        let (sandbox, fake) = try CollectorEndToEndTests.world()
        let calls: [[String: Any]] = [
            ["tool": "spotify.get_top", "arguments": ["entity": "tracks", "limit": 3, "time_range": "short_term"]],
            ["tool": "spotify.get_top", "arguments": ["entity": "artists"]],
            ["tool": "spotify.search", "arguments": ["q": "o", "type": "track", "limit": 2]],
            ["tool": "spotify.get_top", "arguments": ["entity": "albums"]],
        ]
        let environment = sandbox.environment.merging(["SPOTLOG_DB": sandbox.defaultDatabase.path]) { $1 }
        let report = try Self.client(calls: calls, environment: environment)
        for mode in ["legacy", "auto"] {
            let outcomes = try #require(report[mode]?["calls"] as? [[String: Any]])
            let tracks = try #require((outcomes[0]["structured"] as? [String: Any])?["items"] as? [[String: Any]])
            #expect(tracks.count == 3)
            #expect(tracks.allSatisfy { $0["type"] as? String == "track" && ($0["uri"] as? String)?.hasPrefix("spotify:track:") == true })
            let artists = try #require((outcomes[1]["structured"] as? [String: Any])?["items"] as? [[String: Any]])
            #expect(!artists.isEmpty && artists.allSatisfy { $0["type"] as? String == "artist" })
            let found = try #require((outcomes[2]["structured"] as? [String: Any])?["items"] as? [[String: Any]])
            #expect(found.count == 2)
            #expect(outcomes[3]["is_error"] as? Bool == true)
        }
        let paths = try CollectorEndToEndTests.apiRequests(fake)
        #expect(paths.filter { $0 == "/v1/me/top/tracks" }.count == 2)
        #expect(paths.filter { $0 == "/v1/search" }.count == 2)

        let viaCLI = try Self.document(try sandbox.run(["mcp-call", "spotify.get_top", "entity=tracks", "limit=3",
                                                        "time_range=short_term"]))
        let viaMCP = try #require(try Self.client(calls: [calls[0]], environment: environment)["legacy"]?["calls"] as? [[String: Any]])
        #expect((viaMCP[0]["structured"] as? NSDictionary)?.isEqual(viaCLI) == true)
    }

    @Test func mcpCallPrintsTheDocumentAndMapsFailuresToExitCodes() throws {
        let sandbox = try HistoryEndToEndTests.sandbox()
        let tool = try Self.document(try sandbox.run(["mcp-call", "history.top_tracks", "period=2024", "limit=5"]))
        let cli = try Self.document(try sandbox.run(["history", "top-tracks", "--period", "2024", "-n", "5", "--json"]))
        #expect(tool.isEqual(cli))
        let jsonArguments = try Self.document(try sandbox.run(["mcp-call", "history.top_tracks", "--args",
                                                               #"{"period": "2024", "limit": 9}"#, "limit=5"]))
        #expect(jsonArguments.isEqual(cli))

        for (arguments, message) in [
            (["history.top_tracks", "limit=0"], "spotlog: error: 'limit': expected a whole number from 1 to 100000, got '0'\n"),
            (["history.top_trax"], "spotlog: error: unknown tool 'history.top_trax'; did you mean 'history.top_tracks'?\n"),
            (["history.recent", "--args", "[1]"], "spotlog: error: --args must be a JSON object such as '{\"limit\": 5}'\n"),
            (["history.recent", "limit"], "spotlog: error: expected KEY=VALUE, got 'limit'\n"),
            ([], "spotlog: error: name a tool to call, or pass --list\n"),
        ] {
            let result = try sandbox.run(["mcp-call"] + arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr == message)
            #expect(result.stdout.isEmpty)
        }
        let failed = try sandbox.run(["mcp-call", "history.streaks", "artist=Nobody"])
        #expect(failed.status == 1)
        #expect(failed.stderr == "spotlog: error: no artist named 'Nobody' in your history\n")
        let table = try sandbox.run(["mcp-call", "--list"])
        #expect(table.status == 0 && table.stdout.contains("history.taste_summary") && table.stdout.contains("ops.sync_status"))
    }

    @Test func serveExitsWhenInputClosesAndKeepsStdoutForProtocol() throws {
        let sandbox = try HistoryEndToEndTests.sandbox()
        let input = [#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18"}}"#,
                     #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"history.recent","arguments":{"limit":1}}}"#]
        let result = try sandbox.run(["mcp-serve", "--verbose"], stdin: Data((input.joined(separator: "\n") + "\n").utf8))
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        for line in lines {
            let message = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(message["result"] != nil)
        }
        #expect(result.stderr.contains("request"), "debug logs go to standard error")
    }
}

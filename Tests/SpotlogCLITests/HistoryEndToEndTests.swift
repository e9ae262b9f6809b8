import Foundation
import Testing

/// `spotlog history` through the built binary, on the bundled sample export.
@Suite struct HistoryEndToEndTests {
    /// A sandbox with the sample imported, a fixed "now" and zone.
    static func sandbox() throws -> Sandbox {
        let sandbox = try Sandbox()
        sandbox.extraEnvironment = ["SPOTLOG_NOW": "2025-06-05T12:00:00Z", "TZ": "Europe/Berlin"]
        let imported = try sandbox.run(["import", ImportEndToEndTests.sample, "--quiet"])
        #expect(imported.status == 0)
        return sandbox
    }

    func json(_ result: Sandbox.Result) throws -> [String: Any] {
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func everyQueryAnswersInJSON() throws {
        let sandbox = try Self.sandbox()
        let queries = ["recent", "top-artists", "top-tracks", "top-albums", "heatmap", "summary", "taste-summary",
                       "repeat-rate", "coverage", "timeline", "streaks", "discoveries"]
        for query in queries {
            let document = try json(try sandbox.run(["history", query, "--json"]))
            #expect(document["schema_version"] as? Int == 1, "\(query)")
            #expect(document["user"] as? String == "sample_listener")
            let period = try #require(document["period"] as? [String: Any])
            #expect(period["tz"] as? String == "Europe/Berlin")
            #expect(period["label"] as? String == "all time")
            #expect(document["min_played_ms"] as? Int == 30_000)
        }
        let search = try json(try sandbox.run(["history", "search", "bjork", "--json", "-n", "3"]))
        #expect((search["items"] as? [[String: Any]])?.count == 3)
        #expect((search["items"] as? [[String: Any]])?.allSatisfy { $0["artist"] as? String == "Björk" } == true)
    }

    @Test func topArtistsJSON() throws {
        let sandbox = try Self.sandbox()
        let document = try json(try sandbox.run(["history", "top-artists", "--json", "--limit", "2", "--period", "2024"]))
        let period = try #require(document["period"] as? [String: Any])
        #expect(period["from"] as? String == "2024-01-01T00:00:00+01:00")
        #expect(period["to"] as? String == "2025-01-01T00:00:00+01:00")
        let items = try #require(document["items"] as? [[String: Any]])
        #expect(items.map { $0["rank"] as? Int } == [1, 2])
        #expect(items.map { $0["name"] as? String } == ["Radiohead", "Björk"])
        #expect(items.allSatisfy { $0["plays"] is Int && $0["ms_played"] is Int && $0["share"] is Double })
        let tracks = try json(try sandbox.run(["history", "top-tracks", "--json", "-n", "1"]))
        #expect((tracks["items"] as? [[String: Any]])?.first?["artist"] as? String == "Radiohead")
    }

    @Test func heatmapCellsAreISOWeekdaysAndHours() throws {
        let sandbox = try Self.sandbox()
        let document = try json(try sandbox.run(["history", "heatmap", "--json", "--tz", "Asia/Kolkata"]))
        let cells = try #require(document["cells"] as? [[String: Int]])
        #expect(cells.count == 168)
        #expect(cells.first == ["weekday": 1, "hour": 0, "plays": cells.first!["plays"]!, "ms_played": cells.first!["ms_played"]!])
        #expect(Set(cells.map { $0["weekday"]! }) == Set(1...7))
        let total = cells.reduce(0) { $0 + $1["plays"]! }
        let summary = try json(try sandbox.run(["history", "summary", "--json"]))
        #expect(total == summary["plays"] as? Int, "every counted play lands in one cell, in any zone")
    }

    @Test func optionsAreValidated() throws {
        let sandbox = try Self.sandbox()
        let badPeriod = try sandbox.run(["history", "top-artists", "--period", "fortnight"])
        #expect(badPeriod.status == 64)
        #expect(badPeriod.stderr.contains("--period: expected a period such as 7d"))
        let badZone = try sandbox.run(["history", "heatmap", "--tz", "Moon/Base"])
        #expect(badZone.status == 64)
        let both = try sandbox.run(["history", "summary", "--period", "1y", "--from", "2024-01-01"])
        #expect(both.stderr == "spotlog: error: --period cannot be combined with --from or --to\n")
        let backwards = try sandbox.run(["history", "summary", "--from", "2024-05-01", "--to", "2024-04-01"])
        #expect(backwards.status == 64)
        let nobody = try sandbox.run(["history", "summary", "--user", "nobody"])
        #expect(nobody.status == 66)
        #expect(nobody.stderr.hasPrefix("spotlog: error: no user named 'nobody'"))
        let unknownArtist = try sandbox.run(["history", "streaks", "--artist", "Nobody At All"])
        #expect(unknownArtist.status == 66)
    }

    @Test func emptyHistoryIsFriendly() throws {
        let sandbox = try Sandbox()
        try sandbox.createDatabase()
        let human = try sandbox.run(["history", "top-artists"])
        #expect(human.status == 0)
        #expect(human.stdout == "no listening history yet; import an export with 'spotlog import'\n")
        let document = try json(try sandbox.run(["history", "top-artists", "--json"]))
        #expect((document["items"] as? [Any])?.isEmpty == true)
        let quiet = try sandbox.run(["history", "recent", "--period", "7d"])
        #expect(quiet.status == 0)
    }

    @Test func minPlayedAndKind() throws {
        let sandbox = try Self.sandbox()
        func plays(_ arguments: [String]) throws -> Int {
            try json(try sandbox.run(["history", "summary", "--json"] + arguments))["plays"] as? Int ?? -1
        }
        let counted = try plays([])
        #expect(try plays(["--min-played", "0"]) > counted)
        #expect(try plays(["--min-played", "4m"]) < counted)
        #expect(try plays(["--kind", "podcast"]) > 0)
        #expect(try plays(["--kind", "all"]) > counted)
    }

    /// Human output of a few queries, compared with committed goldens (re-record with
    /// `SPOTLOG_RECORD=1 swift test` or `Scripts/update-docs.sh`).
    @Test(arguments: [
        ("history-top-artists.txt", ["history", "top-artists"]),
        ("history-heatmap.txt", ["history", "heatmap", "--period", "2024"]),
        ("history-timeline.txt", ["history", "timeline", "--per", "month", "--period", "2025"]),
        ("history-summary.txt", ["history", "summary", "--period", "6m"]),
    ])
    func humanOutputMatchesTheGolden(file: String, arguments: [String]) throws {
        let sandbox = try Self.sandbox()
        let result = try sandbox.run(arguments)
        #expect(result.status == 0)
        let url = Sandbox.packageRoot.appendingPathComponent("Fixtures/golden/\(file)")
        if GeneratedDocsTests.recording {
            try Data(result.stdout.utf8).write(to: url)
            return
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == result.stdout)
    }
}

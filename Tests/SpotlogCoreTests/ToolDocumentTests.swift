import Foundation
import Testing
@testable import SpotlogCore

/// The documents the history queries and tools return, against the schemas the man page prints
/// and MCP publishes as `outputSchema`: every encoded document must fit its schema exactly (no
/// field missing, none extra, every type right), for many argument combinations.
@Suite struct ToolDocumentTests {
    /// A history with music, a podcast and a skip (from `HistoryQueryTests`), and a tool context on it.
    func context() throws -> (ImportHarness, ToolContext) {
        let harness = try HistoryQueryTests().harness()
        return (harness, ToolContext(database: harness.database, environment: ["SPOTLOG_NOW": "2024-04-03T12:00:00Z"]))
    }

    /// Argument sets every history tool is called with: defaults, periods with and without
    /// plays, other zones, kinds, thresholds and each query's own options.
    static let argumentSets: [JSONValue] = [
        .null,
        .object(["period": "2024", "tz": "Europe/Berlin"]),
        .object(["period": "1999"]),
        .object(["from": "2024-03-31", "to": "2024-04-01", "tz": "America/New_York"]),
        .object(["kind": "all", "min_played": "0"]),
        .object(["kind": "podcast", "limit": 1]),
        .object(["by": "time", "per": "day", "of": "tracks", "gap": "1d"]),
        .object(["artist": "björk"]),
        .object(["min_plays": 1, "not_since": "1w"]),
    ]

    @Test func everyHistoryDocumentFitsItsSchema() throws {
        let (_, context) = try context()
        for tool in ToolRegistry.all where tool.name.hasPrefix("history.") {
            for arguments in Self.argumentSets {
                var members: [JSONValue.Member] = []
                if case .object(let given) = arguments {
                    members = given.filter { member in tool.parameters.contains { $0.toolName == member.key } }
                }
                if tool.name == "history.search" { members.append(.init("query", "jó")) }
                if tool.name == "history.forgotten" { members.removeAll { $0.key == "by" } }
                if tool.name == "history.compare" { members.append(.init("vs", "2023")) }
                let names = ["history.artist": "bjork", "history.track": "Jóga", "history.album": "in rainbows"]
                if let name = names[tool.name] { members.append(.init("name", .string(name))) }
                if tool.name == "history.album" { members.removeAll { $0.key == "artist" } }
                let document = try tool.call(.object(members), context: context)
                #expect(tool.outputSchema.problems(in: document) == [], "\(tool.name) \(members)")
            }
        }
    }

    @Test func opsDocumentsFitTheirSchemas() throws {
        let (_, context) = try context()
        for name in ["ops.sync_status", "ops.latest_job_runs", "ops.latest_import_jobs"] {
            let tool = try ToolRegistry.tool(named: name)
            let document = try tool.call(.null, context: context)
            #expect(tool.outputSchema.problems(in: document) == [], "\(name)")
            if name != "ops.sync_status" { #expect(document["items"] != .array([]), "\(name) lists the harness's import") }
        }
    }

    @Test func aMissingOrExtraFieldBreaksTheSchema() throws {
        let schema = DocumentSchema.object(["plays": .integer(), "last": .nullable(.string("ISO 8601"))])
        #expect(schema.problems(in: .object(["plays": 1, "last": nil])) == [])
        #expect(schema.problems(in: .object(["plays": 1])) == ["$.last: missing"])
        #expect(schema.problems(in: .object(["plays": 1, "last": nil, "more": 2])) == ["$.more: not in the schema"])
        #expect(schema.problems(in: .object(["plays": "1", "last": nil])).count == 1)
    }

    @Test func theEncoderKeepsOrderWritesNullsAndSnakeCases() throws {
        struct Sample: Encodable {
            let zebraCount = 1
            let firstPlay: String? = nil
            let msPlayed: Int64 = 5
            let nested = [Inner()]
        }
        struct Inner: Encodable { let shareOfTime = 0.5 }
        let json = try DocumentEncoder().encode(Sample())
        #expect(json.serialized() == #"{"zebra_count":1,"first_play":null,"ms_played":5,"nested":[{"share_of_time":0.5}]}"#)
    }

    @Test func invalidArgumentsAreUsageErrorsNamingTheRule() throws {
        let (_, context) = try context()
        let tool = try ToolRegistry.tool(named: "history.top_artists")
        let cases: [(JSONValue, String)] = [
            (.object(["limit": 0]), "'limit': expected a whole number from 1 to 100000, got '0'"),
            (.object(["limit": "5"]), "'limit' must be an integer"),
            (.object(["perod": "1y"]), "unknown argument 'perod'; did you mean 'period'?"),
            (.object(["kind": "musik"]), "'kind': invalid value 'musik'; did you mean 'music'?"),
            (.object(["period": "1y", "from": "2024-01-01"]), "'period' cannot be combined with 'from' or 'to'"),
            (.object(["from": "2024-02-01", "to": "2024-01-01"]), "'to' 2024-01-01 is before 'from' 2024-02-01"),
            (.object(["tz": "Mars/Olympus"]), "'tz': unknown time zone 'Mars/Olympus' (use an IANA name such as Europe/Berlin)"),
            (.string("limit=5"), "arguments must be a JSON object"),
        ]
        for (arguments, message) in cases {
            #expect(throws: SpotlogError.usage(message)) { try tool.call(arguments, context: context) }
        }
        #expect(throws: SpotlogError.usage("'query' is required and cannot be empty")) {
            try ToolRegistry.tool(named: "history.search").call(.null, context: context)
        }
    }

    @Test func toolsHaveUniqueNamesAndObjectSchemas() throws {
        let names = ToolRegistry.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.count == 25)
        for tool in ToolRegistry.all {
            #expect(tool.inputSchema["type"] == "object")
            #expect(tool.outputSchema.jsonSchema["type"] == "object", "\(tool.name)")
        }
    }
}

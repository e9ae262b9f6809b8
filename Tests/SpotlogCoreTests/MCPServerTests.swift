import Foundation
import Testing
@testable import SpotlogCore

/// The JSON-RPC layer of `spotlog mcp-serve`, message by message: version negotiation in both
/// eras, pagination, tool results and every error code. (`McpEndToEndTests` drives the binary
/// with the official Python SDK.)
@Suite struct MCPServerTests {
    func server(pageSize: Int = 50) throws -> MCPServer {
        let (_, context) = try ToolDocumentTests().context()
        return MCPServer(context: context, serverVersion: "1.2.3", pageSize: pageSize) { _ in "" }
    }

    func request(_ id: Int, _ method: String, _ params: JSONValue = .object([])) -> String {
        JSONValue.object(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params]).serialized()
    }

    static let statelessMeta: JSONValue.Member = .init("_meta", .object([
        "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": .object([]),
    ]))

    @Test func initializeAgreesOnAHandshakeRevision() throws {
        let server = try server()
        for (asked, agreed) in [("2024-11-05", "2024-11-05"), ("2025-06-18", "2025-06-18"), ("2025-11-25", "2025-11-25"),
                                ("2026-07-28", "2025-11-25"), ("1999-01-01", "2025-11-25")] {
            let response = try #require(server.handle(request(1, "initialize", .object(["protocolVersion": .string(asked)]))))
            #expect(response["result"]?["protocolVersion"] == .string(agreed))
            #expect(response["result"]?["serverInfo"]?["name"] == "spotlog")
            #expect(response["result"]?["capabilities"]?["tools"] != nil)
        }
        #expect(server.handle(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#) == nil)
        #expect(server.handle(request(2, "ping"))?["result"] == .object([]))
    }

    @Test func oldRevisionsGetNoStructuredOutput() throws {
        let server = try server()
        _ = server.handle(request(1, "initialize", .object(["protocolVersion": "2024-11-05"])))
        let listed = try #require(server.handle(request(2, "tools/list"))?["result"]?["tools"])
        guard case .array(let tools) = listed, case .object(let first)? = tools.first else { Issue.record("no tools"); return }
        #expect(!first.contains { $0.key == "outputSchema" || $0.key == "annotations" || $0.key == "title" })
        let call = try #require(server.handle(request(3, "tools/call", .object(["name": "history.recent"])))?["result"])
        #expect(call["structuredContent"] == nil)
        #expect(call["isError"] == false)
    }

    @Test func toolsListPagesInAStableOrder() throws {
        let server = try server(pageSize: 5)
        var names: [String] = [], cursor: JSONValue?, pages = 0
        repeat {
            let params: JSONValue = cursor.map { .object(["cursor": $0]) } ?? .object([])
            let result = try #require(server.handle(request(pages, "tools/list", params))?["result"])
            if case .array(let tools)? = result["tools"] {
                names += tools.compactMap { if case .string(let name)? = $0["name"] { name } else { nil } }
            }
            cursor = result["nextCursor"]
            pages += 1
        } while cursor != nil
        #expect(pages == 5)
        #expect(names == ToolRegistry.all.map(\.name))
        #expect(server.handle(request(9, "tools/list", .object(["cursor": "nonsense"])))?["error"]?["code"] == .int(-32602))
    }

    @Test func toolFailuresAreResultsAndProtocolMistakesAreErrors() throws {
        let server = try server()
        let invalid = try #require(server.handle(request(1, "tools/call", .object([
            "name": "history.top_artists", "arguments": .object(["limit": 0]),
        ])))?["result"])
        #expect(invalid["isError"] == true)
        let failed = try #require(server.handle(request(2, "tools/call", .object([
            "name": "history.streaks", "arguments": .object(["artist": "Nobody"]),
        ])))?["result"])
        #expect(failed["isError"] == true)
        #expect(failed["content"] == [.object(["type": "text", "text": "no artist named 'Nobody' in your history"])])

        #expect(server.handle("{not json")?["error"]?["code"] == .int(-32700))
        #expect(server.handle(#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#)?["error"]?["code"] == .int(-32600))
        #expect(server.handle(#"[1,2]"#)?["error"]?["code"] == .int(-32600))
        #expect(server.handle(#"{"jsonrpc":"2.0","id":1,"method":"ping","params":[1]}"#)?["error"]?["code"] == .int(-32600))
        #expect(server.handle(request(3, "resources/list"))?["error"]?["code"] == .int(-32601))
        #expect(server.handle(request(4, "tools/call", .object(["name": "history.nope"])))?["error"]?["code"] == .int(-32602))
        #expect(server.handle(#"{"jsonrpc":"2.0","id":"abc","method":"nope"}"#)?["id"] == "abc")
        #expect(server.handle(#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#)?["error"]?["code"] == .int(-32600),
                "a null id is not a notification")
    }

    @Test func statelessRequestsCarryTheirRevision() throws {
        let server = try server()
        let discovered = try #require(server.handle(request(1, "server/discover", .object([Self.statelessMeta])))?["result"])
        #expect(discovered["supportedVersions"] == ["2026-07-28"])
        #expect(discovered["resultType"] == "complete")
        #expect(discovered["capabilities"]?["tools"] != nil)
        #expect(discovered["_meta"]?["io.modelcontextprotocol/serverInfo"]?["version"] == "1.2.3")

        let listed = try #require(server.handle(request(2, "tools/list", .object([Self.statelessMeta])))?["result"])
        #expect(listed["resultType"] == "complete")
        #expect(listed["cacheScope"] == "public")
        let called = try #require(server.handle(request(3, "tools/call", .object([
            Self.statelessMeta, .init("name", "history.coverage"),
        ])))?["result"])
        #expect(called["resultType"] == "complete")
        #expect(called["structuredContent"]?["query"] == "coverage")

        let unsupported = try #require(server.handle(request(4, "tools/list", .object([.init("_meta", .object([
            "io.modelcontextprotocol/protocolVersion": "2027-01-01",
        ]))])))?["error"])
        #expect(unsupported["code"] == .int(-32022))
        #expect(unsupported["data"]?["requested"] == "2027-01-01")
        #expect(unsupported["data"]?["supported"] == .array(MCPRevision.all.map(JSONValue.string)))
    }

    @Test func serveAnswersLineByLineUntilInputEnds() throws {
        let server = try server()
        var lines = [request(1, "ping"), "", #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#, request(2, "ping")]
        var written: [String] = []
        server.serve(nextLine: { lines.isEmpty ? nil : lines.removeFirst() }, write: { written.append($0) })
        #expect(written == [#"{"jsonrpc":"2.0","id":1,"result":{}}"# + "\n", #"{"jsonrpc":"2.0","id":2,"result":{}}"# + "\n"])
    }
}

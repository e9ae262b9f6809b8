import Foundation
import Logging

/// A Model Context Protocol server over newline-delimited JSON-RPC 2.0, hand-written over the
/// tool registry (the Swift SDK lacks the 2026 revision and costs minutes of build time).
///
/// One message per line in, one response per line out; notifications get no answer. Requests
/// are answered in order, one at a time. A request that names a stateless revision in its
/// `_meta` is answered in that revision; any other request in the revision `initialize` agreed
/// on (the newest handshake revision when there was none). Tool failures and invalid arguments
/// are tool results with `isError`; protocol mistakes are JSON-RPC errors.
public final class MCPServer {
    private let tools: [Tool]
    private let context: ToolContext
    private let serverVersion: String
    private let pageSize: Int
    private let hintText: (SpotlogError.Hint?) -> String
    private let logger = Logger(label: "spotlog.mcp")
    /// The revision agreed by `initialize`, for requests that name none.
    private var agreedRevision: String?

    /// - Parameters:
    ///   - pageSize: how many tools one `tools/list` page holds.
    ///   - hintText: how a failed tool's hint is worded for an assistant.
    public init(tools: [Tool] = ToolRegistry.all, context: ToolContext, serverVersion: String, pageSize: Int = 50,
                hintText: @escaping (SpotlogError.Hint?) -> String) {
        self.tools = tools
        self.context = context
        self.serverVersion = serverVersion
        self.pageSize = pageSize
        self.hintText = hintText
    }

    /// Answers messages from `nextLine` until it returns `nil` (standard input closed).
    public func serve(nextLine: () -> String?, write: (String) -> Void) {
        while let line = nextLine() {
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            if let response = handle(line) { write(response.serialized() + "\n") }
        }
    }

    /// The response to one message, or `nil` for a notification.
    public func handle(_ line: String) -> JSONValue? {
        guard let message = JSONValue.parse(line) else { return Self.error(id: .null, code: -32700, "parse error: not JSON") }
        guard case .object = message, message["jsonrpc"] == "2.0", case .string(let method)? = message["method"] else {
            return Self.error(id: Self.requestID(message) ?? .null, code: -32600, "invalid request: not a JSON-RPC 2.0 request")
        }
        guard message["id"] != nil else {
            logger.debug("notification", metadata: ["method": "\(method)"])
            return nil
        }
        guard let id = Self.requestID(message) else {
            return Self.error(id: .null, code: -32600, "invalid request: the id must be a string or an integer")
        }
        let params = message["params"] ?? .null
        if case .object = params {} else if params != .null {
            return Self.error(id: id, code: -32600, "invalid request: params must be an object")
        }
        let revision: String
        if case .string(let named)? = params["_meta"]?[MCPRevision.versionKey] {
            guard MCPRevision.stateless.contains(named) else {
                return Self.error(id: id, code: MCPRevision.unsupportedVersionCode, "unsupported protocol version '\(named)'",
                                  data: .object(["supported": .array(MCPRevision.all.map(JSONValue.string)),
                                                 "requested": .string(named)]))
            }
            revision = named
        } else {
            revision = agreedRevision ?? MCPRevision.negotiated(nil)
        }
        logger.debug("request", metadata: ["method": "\(method)", "revision": "\(revision)"])
        do {
            let result = try answer(method, params: params, revision: revision)
            return .object(["jsonrpc": "2.0", "id": id, "result": stamped(result, revision: revision)])
        } catch let failure as RPCFailure {
            return Self.error(id: id, code: failure.code, failure.message)
        } catch {
            return Self.error(id: id, code: -32603, "internal error: \(SpotlogError.from(error).message)")
        }
    }

    private func answer(_ method: String, params: JSONValue, revision: String) throws -> JSONValue {
        switch method {
        case "initialize":
            let requested: String? = if case .string(let version)? = params["protocolVersion"] { version } else { nil }
            let agreed = MCPRevision.negotiated(requested)
            agreedRevision = agreed
            return .object(["protocolVersion": .string(agreed), "capabilities": capabilities, "serverInfo": serverInfo,
                            "instructions": .string(Self.instructions)])
        case "ping":
            return .object([])
        case "server/discover":
            return .object(["supportedVersions": .array(MCPRevision.stateless.map(JSONValue.string)),
                            "capabilities": capabilities, "instructions": .string(Self.instructions),
                            "cacheScope": "public", "ttlMs": 0])
        case "tools/list":
            return try listTools(cursor: params["cursor"], revision: revision)
        case "tools/call":
            guard case .string(let name)? = params["name"] else { throw RPCFailure(code: -32602, "tools/call needs a tool name") }
            guard let tool = tools.first(where: { $0.name == name }) else {
                throw RPCFailure(code: -32602, "unknown tool '\(name)'")
            }
            return call(tool, arguments: params["arguments"] ?? .null, revision: revision)
        default:
            throw RPCFailure(code: -32601, "method not found: \(method)")
        }
    }

    private var capabilities: JSONValue { .object(["tools": .object(["listChanged": false])]) }

    private var serverInfo: JSONValue { .object(["name": "spotlog", "version": .string(serverVersion)]) }

    static let instructions = """
        spotlog keeps one person's (or a household's) Spotify listening history in a local database. The history.* tools \
        answer questions about it offline (periods such as 7d, 6m, 1y, 2024 or 2024-05, or from/to dates; times in the \
        tz argument's zone); spotify.* tools ask the Spotify Web API for a logged-in user; ops.* tools report the collector.
        """

    private func listTools(cursor: JSONValue?, revision: String) throws -> JSONValue {
        var start = 0
        if case .string(let text)? = cursor {
            guard let offset = Int(text), offset >= 0, offset < tools.count else {
                throw RPCFailure(code: -32602, "invalid cursor")
            }
            start = offset
        }
        let end = min(start + pageSize, tools.count)
        var members: [JSONValue.Member] = [.init("tools", .array(tools[start..<end].map { describe($0, revision: revision) }))]
        if end < tools.count { members.append(.init("nextCursor", .string(String(end)))) }
        if MCPRevision.isStateless(revision) { members += [.init("cacheScope", "public"), .init("ttlMs", 0)] }
        return .object(members)
    }

    private func describe(_ tool: Tool, revision: String) -> JSONValue {
        var members: [JSONValue.Member] = [.init("name", .string(tool.name))]
        if MCPRevision.hasStructuredOutput(revision) { members.append(.init("title", .string(tool.title))) }
        members += [.init("description", .string(tool.description)), .init("inputSchema", tool.inputSchema)]
        if MCPRevision.hasStructuredOutput(revision) { members.append(.init("outputSchema", tool.outputSchema.jsonSchema)) }
        if MCPRevision.hasAnnotations(revision) {
            members.append(.init("annotations", .object([
                "title": .string(tool.title), "readOnlyHint": true, "openWorldHint": .bool(tool.openWorld),
            ])))
        }
        return .object(members)
    }

    private func call(_ tool: Tool, arguments: JSONValue, revision: String) -> JSONValue {
        do {
            let result = try tool.call(arguments, context: context)
            var members: [JSONValue.Member] = [.init("content", [.object(["type": "text", "text": .string(result.serialized())])])]
            if MCPRevision.hasStructuredOutput(revision) { members.append(.init("structuredContent", result)) }
            members.append(.init("isError", false))
            return .object(members)
        } catch {
            let failure = SpotlogError.from(error)
            logger.info("tool failed", metadata: ["tool": "\(tool.name)", "error": "\(failure.message)"])
            return .object(["content": [.object(["type": "text", "text": .string(failure.message + hintText(failure.hint))])],
                            "isError": true])
        }
    }

    /// A stateless revision's result says its type and which server answered.
    private func stamped(_ result: JSONValue, revision: String) -> JSONValue {
        guard MCPRevision.isStateless(revision), case .object(var members) = result else { return result }
        members.append(.init("resultType", "complete"))
        members.append(.init("_meta", .object([.init(MCPRevision.serverInfoKey, serverInfo)])))
        return .object(members)
    }

    private static func requestID(_ message: JSONValue) -> JSONValue? {
        switch message["id"] {
        case .some(.string(let text)): return .string(text)
        case .some(.int(let number)): return .int(number)
        default: return nil
        }
    }

    private static func error(id: JSONValue, code: Int64, _ message: String, data: JSONValue? = nil) -> JSONValue {
        var error: [JSONValue.Member] = [.init("code", .int(code)), .init("message", .string(message))]
        if let data { error.append(.init("data", data)) }
        return .object(["jsonrpc": "2.0", "id": id, "error": .object(error)])
    }

    /// A request the server cannot answer: a JSON-RPC error.
    private struct RPCFailure: Error {
        let code: Int64
        let message: String
        init(code: Int64, _ message: String) { self.code = code; self.message = message }
    }
}

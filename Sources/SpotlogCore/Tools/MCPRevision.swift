/// The Model Context Protocol revisions `MCPServer` speaks, and what each one adds.
///
/// Handshake revisions (2024-11-05 to 2025-11-25) agree on one revision with `initialize`; the
/// stateless revision (2026-07-28) has no handshake: each request names its revision in
/// `params._meta`, a client discovers the server with `server/discover`, and every result says
/// its `resultType`.
public enum MCPRevision {
    /// Revisions reachable with `initialize`, oldest first.
    public static let handshake = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]
    /// Revisions of the per-request envelope.
    public static let stateless = ["2026-07-28"]
    public static let all = handshake + stateless

    /// The `_meta` key in which a stateless request names its revision.
    static let versionKey = "io.modelcontextprotocol/protocolVersion"
    static let serverInfoKey = "io.modelcontextprotocol/serverInfo"

    /// The error a stateless request with an unknown revision gets.
    static let unsupportedVersionCode: Int64 = -32022

    /// The revision `initialize` settles on: the client's when it is a handshake revision, else the
    /// newest handshake revision (the client may accept it or disconnect).
    static func negotiated(_ requested: String?) -> String {
        guard let requested, handshake.contains(requested) else { return handshake[handshake.count - 1] }
        return requested
    }

    /// Tool annotations appeared in 2025-03-26.
    static func hasAnnotations(_ revision: String) -> Bool { revision >= "2025-03-26" }

    /// Titles, output schemas and structured results appeared in 2025-06-18.
    static func hasStructuredOutput(_ revision: String) -> Bool { revision >= "2025-06-18" }

    static func isStateless(_ revision: String) -> Bool { stateless.contains(revision) }
}

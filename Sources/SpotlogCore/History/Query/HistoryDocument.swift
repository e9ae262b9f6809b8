import GRDB

/// What every history answer says about itself: the query, whose history, which period (instants
/// in the period's zone), which kinds and the counting threshold.
public struct HistoryHeader: Encodable, Sendable {
    public let schemaVersion: Int
    public let query: String
    public let user: String
    public let period: PeriodDescription
    public let kind: String
    public let minPlayedMs: Int64

    /// The period as documents show it.
    public struct PeriodDescription: Encodable, Sendable {
        public let label: String
        public let from: String?
        public let to: String?
        public let tz: String
    }

    public init(query: String, user: String, scope: HistoryScope) {
        schemaVersion = 1
        self.query = query
        self.user = user
        period = PeriodDescription(label: scope.period.label, from: scope.iso8601(scope.period.from),
                                   to: scope.iso8601(scope.period.to), tz: scope.period.zoneName)
        kind = scope.kinds.count == PlayKind.allCases.count ? "all" : scope.kinds.map(\.rawValue).joined(separator: ",")
        minPlayedMs = scope.minPlayedMillis
    }

    public static let schema = DocumentSchema.object([
        "schema_version": .integer(), "query": .string(), "user": .string(),
        "period": .object(["label": .string(), "from": .nullable(.string("ISO 8601")), "to": .nullable(.string("ISO 8601")),
                           "tz": .string()]),
        "kind": .oneOf(["music", "podcast", "audiobook", "all"]), "min_played_ms": .integer(),
    ])
}

/// One answer: the header, then the query's own fields (`body`), in one JSON object.
///
/// `Body` is constrained only to `Sendable` (a marker, checked at compile time) and is
/// `Encodable` by extension: a type-level `Encodable` requirement made the Swift runtime look
/// the conformance up while building the command table, for every query, at every start
/// (about 10% of `spotlog --version`, measured with perf).
public struct HistoryDocument<Body: Sendable>: Sendable {
    public let header: HistoryHeader
    public let body: Body
}

extension HistoryDocument: Encodable where Body: Encodable {
    public func encode(to encoder: any Encoder) throws {
        try header.encode(to: encoder)
        try body.encode(to: encoder)
    }
}

extension HistoryScope {
    /// An instant as ISO 8601 with the period zone's offset.
    public func iso8601(_ instant: EpochMillis?) -> String? {
        instant.map { ZoneClock(zone: period.zone).iso8601($0) }
    }

    /// Rounds a share or rate to four decimals, as documents print them.
    static func rounded(_ value: Double, places: Double = 10_000) -> Double { (value * places).rounded() / places }
}

/// A history query, declared once: its name on the command line and as an MCP tool, its
/// parameters beyond the scope, the schema of its fields, and how to answer it. (`Body` is
/// `Encodable` too, required where documents are encoded; see `HistoryDocument`.)
public struct HistoryQuery<Body: Sendable>: Sendable {
    /// The CLI subcommand and the document's `query` (`top-artists`).
    public let name: String
    /// The MCP tool (`history.top_artists`).
    public let toolName: String
    public let summary: String
    /// Parameters besides `HistoryParameters.scope`.
    public let parameters: [QueryParameter]
    /// The fields the query adds to the header.
    public let schema: DocumentSchema
    let answer: @Sendable (QueryArguments, HistoryScope, Database) throws -> Body

    init(_ name: String, tool: String, summary: String, parameters: [QueryParameter] = [], schema: DocumentSchema,
         answer: @escaping @Sendable (QueryArguments, HistoryScope, Database) throws -> Body) {
        self.name = name
        toolName = "history." + tool
        self.summary = summary
        self.parameters = parameters
        self.schema = schema
        self.answer = answer
    }

    /// Every parameter the query takes, scope first.
    public var allParameters: [QueryParameter] { HistoryParameters.scope + parameters }

    /// The whole document's schema: header and fields.
    public var documentSchema: DocumentSchema { HistoryHeader.schema.adding(schema) }

    /// Answers for `user` (by name or Spotify id; `nil` when there is one user) inside one read
    /// snapshot; `nil` when the database has no user yet.
    public func document(_ arguments: QueryArguments, user handle: String?, now: EpochMillis,
                         database: SpotlogDatabase) throws -> HistoryDocument<Body>? {
        guard let user = try UserDirectory(database: database).resolve(handle) else { return nil }
        let scope = try HistoryParameters.scope(arguments, userID: try user.rowID, now: now)
        let body = try database.reader.read { db in try answer(arguments, scope, db) }
        return HistoryDocument(header: HistoryHeader(query: name, user: user.name, scope: scope), body: body)
    }
}

import GRDB

/// Records map Swift `camelCase` properties to the schema's `snake_case` columns.
public protocol SnakeCaseRecord: Codable, FetchableRecord, PersistableRecord {}

public extension SnakeCaseRecord {
    static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}

/// A person whose listening history spotlog keeps (`users`).
public struct User: SnakeCaseRecord, MutablePersistableRecord, Equatable, Sendable, Identifiable {
    public static let databaseTableName = "users"

    /// Whether the collector works for this user.
    public enum Status: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
        case active
        case paused
        case needsReauth = "needs_reauth"
    }

    public var id: Int64?
    public var name: String
    public var spotifyId: String?
    public var displayName: String?
    public var status: Status
    public var createdAt: EpochMillis
    public var updatedAt: EpochMillis

    public init(id: Int64? = nil, name: String, spotifyId: String? = nil, displayName: String? = nil,
                status: Status = .active, createdAt: EpochMillis = .now(), updatedAt: EpochMillis = .now()) {
        self.id = id
        self.name = name
        self.spotifyId = spotifyId
        self.displayName = displayName
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A key/value setting remembered between runs (`settings`), e.g. the Spotify client id.
public struct Setting: SnakeCaseRecord, Equatable, Sendable {
    public static let databaseTableName = "settings"
    public var key: String
    public var value: String
    public var updatedAt: EpochMillis
}

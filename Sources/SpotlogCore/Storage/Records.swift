import GRDB

/// Records map Swift `camelCase` properties to the schema's `snake_case` columns.
public protocol SnakeCaseRecord: Codable, FetchableRecord, MutablePersistableRecord {}

public extension SnakeCaseRecord {
    static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}

/// A person whose listening history spotlog keeps (`users`).
public struct User: SnakeCaseRecord, Equatable, Sendable, Identifiable {
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

    /// The id of a user read from, or saved to, the database.
    public var rowID: Int64 {
        get throws {
            guard let id else { throw SpotlogError.failure("user '\(name)' is not saved in the database") }
            return id
        }
    }
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

/// A run of a background job: an import, a sync, a poll (`job_runs`).
public struct JobRun: SnakeCaseRecord, Equatable, Sendable {
    public static let databaseTableName = "job_runs"

    public enum JobType: String, Codable, Sendable, DatabaseValueConvertible {
        case `import`, initialSync = "initial_sync", poll, enrich, maintenance
    }

    public enum Status: String, Codable, Sendable, DatabaseValueConvertible {
        case running, success, error, rateLimited = "rate_limited", skipped, interrupted
    }

    public var id: Int64?
    public var userId: Int64?
    public var jobType: JobType
    public var status: Status
    public var startedAt: EpochMillis
    public var finishedAt: EpochMillis?
    /// A JSON object of counts.
    public var stats: String?
    public var error: String?

    /// The id of a job run read from the database.
    public var rowID: Int64 {
        get throws {
            guard let id else { throw SpotlogError.failure("a job run is not saved in the database") }
            return id
        }
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One history file of an import and what became of it (`import_jobs`).
public struct ImportJob: SnakeCaseRecord, Equatable, Sendable {
    public static let databaseTableName = "import_jobs"

    public enum Status: String, Codable, Sendable, DatabaseValueConvertible {
        case pending, processing, success, error
    }

    public var id: Int64?
    public var userId: Int64?
    public var jobRunId: Int64?
    public var path: String
    public var file: String
    public var size: Int64
    public var format: String
    public var status: Status
    public var recordsRead = 0
    public var inserted = 0
    public var duplicates = 0
    public var merged = 0
    /// A JSON object: skip reason → count.
    public var skipped = "{}"
    public var earliest: EpochMillis?
    public var latest: EpochMillis?
    public var error: String?
    public var createdAt: EpochMillis
    public var startedAt: EpochMillis?
    public var finishedAt: EpochMillis?

    /// The id of an import job read from the database.
    public var rowID: Int64 {
        get throws {
            guard let id else { throw SpotlogError.failure("an import job is not saved in the database") }
            return id
        }
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

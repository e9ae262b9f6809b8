/// The collector's state for an assistant: each user's sync state, the latest job runs and imports.
enum OpsTools {
    static let jobLimit = QueryParameter("limit", .integer(min: 1, max: 200), default: "20", help: "how many rows")
    static let before = QueryParameter("before", .integer(min: 1, max: Int.max),
                                       help: "the page after the one that ended with this id (newest first)")
    static let jobType = QueryParameter("type", .choice(["import", "initial_sync", "poll", "enrich"]), help: "only jobs of this type")
    static let status = QueryParameter("status", .text, help: "only rows with this status (running, success, error, ...)")

    static let all = [syncStatus, latestJobRuns, latestImportJobs]

    static let syncStatus = Tool(
        name: "ops.sync_status", title: "Sync status",
        description: "Each user's collection state: status, plays, last play, last poll and success, errors, rate limit, "
            + "initial sync, when the access token expires and when the login was granted (never the tokens).",
        parameters: [], outputSchema: SyncStatusDocument.schema
    ) { _, context in
        let overviews = try UserOverview.all(in: try context.database(.readOnly))
        return try DocumentEncoder().encode(SyncStatusDocument(users: overviews.map(SyncStatusDocument.User.init)))
    }

    static let latestJobRuns = Tool(
        name: "ops.latest_job_runs", title: "Latest job runs",
        description: "Job runs (imports, initial syncs, polls, enrichment), newest first, as `spotlog admin jobs --json`.",
        parameters: [ToolRegistry.user, jobType, status, jobLimit, before], outputSchema: JobListing.jobRunsSchema
    ) { arguments, context in
        let database = try context.database(.readOnly)
        return try DocumentEncoder().encode(try JobListing.jobRunPage(try filter(arguments, database), in: database))
    }

    static let latestImportJobs = Tool(
        name: "ops.latest_import_jobs", title: "Latest import jobs",
        description: "Imported history files with their counts and errors, newest first, as `spotlog admin imports --json`.",
        parameters: [ToolRegistry.user, status, jobLimit, before], outputSchema: JobListing.importJobsSchema
    ) { arguments, context in
        let database = try context.database(.readOnly)
        return try DocumentEncoder().encode(try JobListing.importJobPage(try filter(arguments, database), in: database))
    }

    private static func filter(_ arguments: QueryArguments, _ database: SpotlogDatabase) throws -> JobListing.Filter {
        let userID = try arguments.string(ToolRegistry.user).map { try UserDirectory(database: database).require($0).rowID }
        return JobListing.Filter(userID: userID, type: arguments.string(jobType).flatMap(JobRun.JobType.init(rawValue:)),
                                 status: arguments.string(status), limit: arguments.integer(jobLimit) ?? 20,
                                 before: arguments.string(before).flatMap { Int64($0) })
    }
}

/// Every user's collection state (`ops.sync_status`).
struct SyncStatusDocument: Encodable {
    let schemaVersion = 1
    let users: [User]

    enum CodingKeys: String, CodingKey { case schemaVersion, users }

    struct User: Encodable {
        let name: String
        let status: String
        let loggedIn: Bool
        let plays: Int
        let lastPlay: String?
        let lastPoll: String?
        let lastSuccess: String?
        let lastError: String?
        let rateLimitedUntil: String?
        let initialSync: String?
        let initialSyncStopReason: String?
        let accessTokenExpiresAt: String?
        let authorizedAt: String?

        init(_ overview: UserOverview) {
            name = overview.user.name
            status = overview.user.status.rawValue
            loggedIn = overview.authorizedAt != nil || overview.accessExpiresAt != nil
            plays = overview.plays
            lastPlay = overview.lastPlay?.iso8601
            lastPoll = overview.lastPoll?.iso8601
            lastSuccess = overview.lastSuccess?.iso8601
            lastError = overview.lastError
            rateLimitedUntil = overview.rateLimitedUntil?.iso8601
            initialSync = overview.initialSyncStatus
            initialSyncStopReason = overview.initialSyncStopReason
            accessTokenExpiresAt = overview.accessExpiresAt?.iso8601
            authorizedAt = overview.authorizedAt?.iso8601
        }
    }

    static let schema = DocumentSchema.object([
        "schema_version": .integer(),
        "users": .array(.object([
            "name": .string(), "status": .oneOf(spotlogUserStatuses), "logged_in": .boolean(), "plays": .integer(),
            "last_play": .nullable(.string("ISO 8601")), "last_poll": .nullable(.string("ISO 8601")),
            "last_success": .nullable(.string("ISO 8601")), "last_error": .nullable(.string()),
            "rate_limited_until": .nullable(.string("ISO 8601")), "initial_sync": .nullable(.string()),
            "initial_sync_stop_reason": .nullable(.string()), "access_token_expires_at": .nullable(.string("ISO 8601")),
            "authorized_at": .nullable(.string("ISO 8601, when the login was granted (Spotify asks again after about six months)")),
        ])),
    ])

    private static let spotlogUserStatuses = SpotlogCore.User.Status.allCases.map(\.rawValue)
}

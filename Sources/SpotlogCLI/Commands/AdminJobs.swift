import SpotlogCore

/// `spotlog admin jobs` and `spotlog admin imports`: what the collector and the importer did.
enum AdminJobs {
    static let type = OptionSpec("type", .choice(["import", "initial_sync", "poll", "enrich"]), help: "only jobs of this type")
    static let status = OptionSpec("status", .text, placeholder: "STATUS",
                                   help: "only jobs with this status (running, success, error, rate_limited, interrupted)")
    static let limit = OptionSpec("limit", short: "n", .integer(min: 1, max: 10_000), default: "20", help: "how many rows")
    static let before = OptionSpec("before", .integer(min: 1, max: Int.max), placeholder: "ID",
                                   help: "the page after the one that ended with this id (newest first)")

    static let jobs = CommandSpec(
        "jobs", summary: "job runs (imports, syncs, polls, enrichment), newest first",
        discussion: "Pages are stable while jobs are added: pass the last id shown (or \"next_before\") as --before.",
        options: [type, status, limit, before],
        jsonSchema: """
            {"schema_version": 1, "items": [{"id": int, "user": string or null, "type": string, "status": string, \
            "started_at": ISO 8601, "finished_at": ISO 8601 or null, "stats": object or null, "error": string or null}], \
            "next_before": int or null}
            """
    ) { context in
        let database = try context.openDatabase(.readOnly)
        let filter = try Self.filter(context, database: database)
        let runs = try JobListing.jobRuns(filter, in: database)
        let names = try userNames(database)
        let items = runs.map { document($0, names: names) }
        var table = TextTable([.init("id", .right), .init("user"), .init("type"), .init("status"), .init("started"),
                               .init("finished"), .init("error")])
        for run in runs {
            table.append([String(run.id ?? 0), run.userId.flatMap { names[$0] } ?? "-", run.jobType.rawValue,
                          run.status.rawValue, Formatting.instant(run.startedAt), Formatting.instant(run.finishedAt),
                          run.error ?? ""])
        }
        try context.emit(page(items, lastID: runs.count == filter.limit ? runs.last?.id : nil, table: table))
    }

    static let imports = CommandSpec(
        "imports", summary: "imported history files with their counts and errors, newest first",
        options: [status, limit, before],
        jsonSchema: """
            {"schema_version": 1, "items": [{"id": int, "user": string or null, "job_run_id": int or null, \
            "path": string, "file": string, "format": string, "status": string, "records_read": int, "inserted": int, \
            "duplicates": int, "merged": int, "error": string or null, "created_at": ISO 8601}], "next_before": int or null}
            """
    ) { context in
        let database = try context.openDatabase(.readOnly)
        let filter = try Self.filter(context, database: database)
        let jobs = try JobListing.importJobs(filter, in: database)
        let names = try userNames(database)
        let items = jobs.map { document($0, names: names) }
        var table = TextTable([.init("id", .right), .init("user"), .init("file"), .init("status"), .init("new", .right),
                               .init("duplicates", .right), .init("merged", .right), .init("error")])
        for job in jobs {
            table.append([String(job.id ?? 0), job.userId.flatMap { names[$0] } ?? "-", job.file, job.status.rawValue,
                          String(job.inserted), String(job.duplicates), String(job.merged), job.error ?? ""])
        }
        try context.emit(page(items, lastID: jobs.count == filter.limit ? jobs.last?.id : nil, table: table))
    }

    private static func filter(_ context: CommandContext, database: SpotlogDatabase) throws -> JobListing.Filter {
        let invocation = context.invocation
        let userID = try context.userHandle.map { try UserDirectory(database: database).require($0).rowID }
        return JobListing.Filter(userID: userID, type: invocation.string(type).flatMap(JobRun.JobType.init(rawValue:)),
                                 status: invocation.string(status), limit: invocation.integer(limit) ?? 20,
                                 before: invocation.string(before).flatMap { Int64($0) })
    }

    private static func userNames(_ database: SpotlogDatabase) throws -> [Int64: String] {
        Dictionary(uniqueKeysWithValues: try UserDirectory(database: database).all().map { (try $0.rowID, $0.name) })
    }

    private static func page(_ items: [JSONValue], lastID: Int64?, table: TextTable) -> CommandOutput {
        CommandOutput(document: .object(["schema_version": 1, "items": .array(items),
                                         "next_before": .optional(lastID, JSONValue.int)]),
                      items: items, table: table, emptyMessage: "nothing yet")
    }

    static func document(_ run: JobRun) -> JSONValue { document(run, names: [:]) }

    static func document(_ run: JobRun, names: [Int64: String]) -> JSONValue {
        .object([
            "id": .optional(run.id, JSONValue.int), "user": .optional(run.userId.flatMap { names[$0] }, JSONValue.string),
            "type": .string(run.jobType.rawValue), "status": .string(run.status.rawValue),
            "started_at": .instant(run.startedAt), "finished_at": .instant(run.finishedAt),
            "stats": run.stats.flatMap(JSONValue.parse) ?? .null, "error": .optional(run.error, JSONValue.string),
        ])
    }

    static func document(_ job: ImportJob) -> JSONValue { document(job, names: [:]) }

    static func document(_ job: ImportJob, names: [Int64: String]) -> JSONValue {
        .object([
            "id": .optional(job.id, JSONValue.int), "user": .optional(job.userId.flatMap { names[$0] }, JSONValue.string),
            "job_run_id": .optional(job.jobRunId, JSONValue.int), "path": .string(job.path), "file": .string(job.file),
            "format": .string(job.format), "status": .string(job.status.rawValue), "records_read": .int(job.recordsRead),
            "inserted": .int(job.inserted), "duplicates": .int(job.duplicates), "merged": .int(job.merged),
            "error": .optional(job.error, JSONValue.string), "created_at": .instant(job.createdAt),
        ])
    }
}

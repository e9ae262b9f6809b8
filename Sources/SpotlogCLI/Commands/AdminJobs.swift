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
        options: [type, status, limit, before], jsonSchema: JobListing.jobRunsSchema.summary
    ) { context in
        let database = try context.openDatabase(.readOnly)
        let page = try JobListing.jobRunPage(try filter(context, database: database), in: database)
        var table = TextTable([.init("id", .right), .init("user"), .init("type"), .init("status"), .init("started"),
                               .init("finished"), .init("error")])
        for run in page.items {
            table.append([String(run.id), run.user ?? "-", run.type, run.status, run.startedAt,
                          run.finishedAt ?? "-", run.error ?? ""])
        }
        try context.emit(try output(page, table: table))
    }

    static let imports = CommandSpec(
        "imports", summary: "imported history files with their counts and errors, newest first",
        options: [status, limit, before], jsonSchema: JobListing.importJobsSchema.summary
    ) { context in
        let database = try context.openDatabase(.readOnly)
        let page = try JobListing.importJobPage(try filter(context, database: database), in: database)
        var table = TextTable([.init("id", .right), .init("user"), .init("file"), .init("status"), .init("new", .right),
                               .init("duplicates", .right), .init("merged", .right), .init("error")])
        for job in page.items {
            table.append([String(job.id), job.user ?? "-", job.file, job.status, String(job.inserted), String(job.duplicates),
                          String(job.merged), job.error ?? ""])
        }
        try context.emit(try output(page, table: table))
    }

    private static func filter(_ context: CommandContext, database: SpotlogDatabase) throws -> JobListing.Filter {
        let invocation = context.invocation
        let userID = try context.userHandle.map { try UserDirectory(database: database).require($0).rowID }
        return JobListing.Filter(userID: userID, type: invocation.string(type).flatMap(JobRun.JobType.init(rawValue:)),
                                 status: invocation.string(status), limit: invocation.integer(limit) ?? 20,
                                 before: invocation.string(before).flatMap { Int64($0) })
    }

    private static func output<Item>(_ page: JobPage<Item>, table: TextTable) throws -> CommandOutput {
        let document = try DocumentEncoder().encode(page)
        var items: [JSONValue]?
        if case .array(let list)? = document["items"] { items = list }
        return CommandOutput(document: document, items: items, table: table, emptyMessage: "nothing yet")
    }
}

/// Job runs and import jobs as documents: `spotlog admin jobs` / `admin imports` print them with
/// `--json`, and the `ops.latest_job_runs` / `ops.latest_import_jobs` tools return them.
public struct JobPage<Item: Encodable & Sendable>: Encodable, Sendable {
    public let schemaVersion = 1
    public let items: [Item]
    /// Pass as `before` for the next page; `null` on the last page.
    public let nextBefore: Int64?

    enum CodingKeys: String, CodingKey { case schemaVersion, items, nextBefore }

    static func schema(_ item: DocumentSchema) -> DocumentSchema {
        .object(["schema_version": .integer(), "items": .array(item), "next_before": .nullable(.integer())])
    }
}

public struct JobRunItem: Encodable, Sendable {
    public let id: Int64
    public let user: String?
    public let type: String
    public let status: String
    public let startedAt: String
    public let finishedAt: String?
    /// The run's counts, as the job stored them.
    public let stats: JSONValue
    public let error: String?

    public static let schema = DocumentSchema.object([
        "id": .integer(), "user": .nullable(.string()), "type": .string(), "status": .string(), "started_at": .string("ISO 8601"),
        "finished_at": .nullable(.string("ISO 8601")), "stats": .anyValue("object or null"), "error": .nullable(.string()),
    ])
}

public struct ImportJobItem: Encodable, Sendable {
    public let id: Int64
    public let user: String?
    public let jobRunId: Int64?
    public let path: String
    public let file: String
    public let format: String
    public let status: String
    public let recordsRead: Int
    public let inserted: Int
    public let duplicates: Int
    public let merged: Int
    public let error: String?
    public let createdAt: String

    public static let schema = DocumentSchema.object([
        "id": .integer(), "user": .nullable(.string()), "job_run_id": .nullable(.integer()), "path": .string(),
        "file": .string(), "format": .string(), "status": .string(), "records_read": .integer(), "inserted": .integer(),
        "duplicates": .integer(), "merged": .integer(), "error": .nullable(.string()), "created_at": .string("ISO 8601"),
    ])
}

extension JobListing {
    public static let jobRunsSchema = JobPage<JobRunItem>.schema(JobRunItem.schema)
    public static let importJobsSchema = JobPage<ImportJobItem>.schema(ImportJobItem.schema)

    /// A page of job runs as a document.
    public static func jobRunPage(_ filter: Filter, in database: SpotlogDatabase) throws -> JobPage<JobRunItem> {
        let runs = try jobRuns(filter, in: database)
        let names = try userNames(database)
        let items = try runs.map { run in
            JobRunItem(id: try run.rowID, user: run.userId.flatMap { names[$0] }, type: run.jobType.rawValue,
                       status: run.status.rawValue, startedAt: run.startedAt.iso8601, finishedAt: run.finishedAt?.iso8601,
                       stats: run.stats.flatMap(JSONValue.parse) ?? .null, error: run.error)
        }
        return JobPage(items: items, nextBefore: runs.count == filter.limit ? items.last?.id : nil)
    }

    /// A page of import jobs as a document.
    public static func importJobPage(_ filter: Filter, in database: SpotlogDatabase) throws -> JobPage<ImportJobItem> {
        let jobs = try importJobs(filter, in: database)
        let names = try userNames(database)
        let items = try jobs.map { job in
            ImportJobItem(id: try job.rowID, user: job.userId.flatMap { names[$0] }, jobRunId: job.jobRunId, path: job.path,
                          file: job.file, format: job.format, status: job.status.rawValue, recordsRead: job.recordsRead,
                          inserted: job.inserted, duplicates: job.duplicates, merged: job.merged, error: job.error,
                          createdAt: job.createdAt.iso8601)
        }
        return JobPage(items: items, nextBefore: jobs.count == filter.limit ? items.last?.id : nil)
    }

    private static func userNames(_ database: SpotlogDatabase) throws -> [Int64: String] {
        Dictionary(uniqueKeysWithValues: try UserDirectory(database: database).all().map { (try $0.rowID, $0.name) })
    }
}

import GRDB

/// Job runs and import jobs, newest first, a page at a time. Pages are keyset-paginated: the
/// next page is the rows with an id below the last one shown, so rows added meanwhile never
/// shift a page.
public enum JobListing {
    public struct Filter: Sendable {
        public var userID: Int64?
        public var type: JobRun.JobType?
        public var status: String?
        public var limit = 20
        /// Only rows with a smaller id (the previous page's last id).
        public var before: Int64?

        public init(userID: Int64? = nil, type: JobRun.JobType? = nil, status: String? = nil, limit: Int = 20,
                    before: Int64? = nil) {
            self.userID = userID
            self.type = type
            self.status = status
            self.limit = limit
            self.before = before
        }
    }

    public static func jobRuns(_ filter: Filter, in database: SpotlogDatabase) throws -> [JobRun] {
        try database.reader.read { db in
            var request = JobRun.all()
            if let user = filter.userID { request = request.filter(Column("user_id") == user) }
            if let type = filter.type { request = request.filter(Column("job_type") == type.rawValue) }
            if let status = filter.status { request = request.filter(Column("status") == status) }
            if let before = filter.before { request = request.filter(Column("id") < before) }
            return try request.order(Column("id").desc).limit(filter.limit).fetchAll(db)
        }
    }

    public static func importJobs(_ filter: Filter, in database: SpotlogDatabase) throws -> [ImportJob] {
        try database.reader.read { db in
            var request = ImportJob.all()
            if let user = filter.userID { request = request.filter(Column("user_id") == user) }
            if let status = filter.status { request = request.filter(Column("status") == status) }
            if let before = filter.before { request = request.filter(Column("id") < before) }
            return try request.order(Column("id").desc).limit(filter.limit).fetchAll(db)
        }
    }
}

import GRDB
import Logging

/// One stored log record.
public struct LogRecord: Sendable, Equatable {
    public let id: Int64
    public let at: EpochMillis
    public let level: String
    public let component: String
    public let message: String
    public let user: String?
    public let jobRunID: Int64?
    public let importJobID: Int64?
    public let metadata: String?
}

/// Reads and purges the `logs` table.
public enum LogRecords {
    public struct Filter: Sendable {
        /// This level and the more severe ones.
        public var level: Logger.Level = .info
        public var since: EpochMillis?
        public var userID: Int64?
        public var jobRunID: Int64?
        /// Text the message contains (case-insensitive).
        public var grep: String?
        public var limit = 50
        /// Only records after this id (for following).
        public var after: Int64?

        public init() {}
    }

    /// The newest `filter.limit` matching records, oldest first.
    public static func read(_ filter: Filter, in database: SpotlogDatabase) throws -> [LogRecord] {
        let levels = Logger.Level.allCases.filter { $0 >= filter.level }.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        var conditions = ["l.level IN (\(levels))"]
        var arguments = StatementArguments()
        if let since = filter.since { conditions.append("l.at >= ?"); arguments += [since] }
        if let user = filter.userID { conditions.append("l.user_id = ?"); arguments += [user] }
        if let job = filter.jobRunID { conditions.append("l.job_run_id = ?"); arguments += [job] }
        if let grep = filter.grep { conditions.append("instr(lower(l.message), lower(?)) > 0"); arguments += [grep] }
        if let after = filter.after { conditions.append("l.id > ?"); arguments += [after] }
        arguments += [filter.limit]
        return try database.reader.read { db in
            try Row.fetchAll(db, sql: """
                SELECT l.id, l.at, l.level, l.label, l.message, u.name, l.job_run_id, l.import_job_id, l.metadata
                FROM logs l LEFT JOIN users u ON u.id = l.user_id
                WHERE \(conditions.joined(separator: " AND ")) ORDER BY l.id DESC LIMIT ?
                """, arguments: arguments).reversed().map { row in
                LogRecord(id: try row.decode(atIndex: 0), at: try row.decode(atIndex: 1), level: try row.decode(atIndex: 2),
                          component: try row.decode(atIndex: 3), message: try row.decode(atIndex: 4),
                          user: try row.decode(atIndex: 5), jobRunID: try row.decode(atIndex: 6),
                          importJobID: try row.decode(atIndex: 7), metadata: try row.decode(atIndex: 8))
            }
        }
    }

    /// Deletes (or with `dryRun` counts) the records written before `cutoff`; how many.
    public static func purge(before cutoff: EpochMillis, dryRun: Bool, in database: SpotlogDatabase) throws -> Int {
        try database.writer.write { db in
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM logs WHERE at < ?", arguments: [cutoff]) ?? 0
            if !dryRun { try db.execute(sql: "DELETE FROM logs WHERE at < ?", arguments: [cutoff]) }
            return count
        }
    }
}

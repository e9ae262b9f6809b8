import Foundation
import Logging
import SpotlogCore

/// `spotlog logs`: what the collector and importer recorded.
enum LogsCommand {
    static let level = OptionSpec("level", .choice(["debug", "info", "notice", "warning", "error", "critical"]),
                                  default: "info", help: "this level and the more severe ones")
    static let since = OptionSpec("since", .text, placeholder: "WHEN",
                                  help: "records from this long ago (1h, 2d) or this date (YYYY-MM-DD) on")
    static let job = OptionSpec("job", .integer(min: 1, max: Int.max), placeholder: "ID", help: "records of this job run")
    static let grep = OptionSpec("grep", .text, placeholder: "TEXT", help: "records whose message contains this text")
    static let limit = OptionSpec("limit", short: "n", .integer(min: 1, max: 100_000), default: "50",
                                  help: "the newest this many records")
    static let follow = OptionSpec("follow", short: "f", help: "keep printing records as other processes write them")
    static let olderThan = OptionSpec("older-than", .duration, default: "30d", help: "remove records older than this")
    static let dryRun = OptionSpec("dry-run", help: "only count what would be removed")

    static let spec = CommandSpec(
        "logs", summary: "show what the collector and importer recorded (oldest first, newest last)",
        discussion: """
            Records of info and above are kept in the database, with the user and job they were about. With \
            --json, each record is one JSON object per line. --follow keeps printing new records, written by any \
            spotlog process, until interrupted.
            """,
        options: [level, since, job, grep, limit, follow],
        subcommands: [purge],
        examples: [.init("spotlog logs --level warning --since 1d", "warnings and errors of the last day"),
                   .init("spotlog logs --follow", "watch the daemon work")],
        jsonSchema: """
            one object per line: {"id": int, "at": ISO 8601, "level": string, "component": string, \
            "message": string, "user": string or null, "job_run_id": int or null, "import_job_id": int or null, \
            "metadata": object or null}
            """
    ) { context in
        let database = try context.openDatabase(.readOnly)
        var filter = LogRecords.Filter()
        let invocation = context.invocation
        filter.level = invocation.string(level).flatMap(Logger.Level.init(rawValue:)) ?? .info
        filter.since = try invocation.string(since).map(Self.instant)
        filter.userID = try context.userHandle.map { try UserDirectory(database: database).require($0).rowID }
        filter.jobRunID = invocation.string(job).flatMap { Int64($0) }
        filter.grep = invocation.string(grep)
        filter.limit = invocation.integer(limit) ?? 50
        var records = try LogRecords.read(filter, in: database)
        try print(records, context)
        guard invocation.flag(follow) else { return }
        filter.limit = 10_000
        while true {
            filter.after = records.last?.id ?? filter.after ?? 0
            Thread.sleep(forTimeInterval: 0.25)
            records = try LogRecords.read(filter, in: database)
            try print(records, context)
        }
    }

    static let purge = CommandSpec(
        "purge", summary: "remove old log records",
        discussion: "The daemon does this once a day, keeping the last 30 days (the setting logs.retention).",
        options: [olderThan, dryRun],
        jsonSchema: "{\"schema_version\": 1, \"removed\": int, \"dry_run\": bool, \"before\": ISO 8601}"
    ) { context in
        let age = try context.invocation.durationMillis(olderThan) ?? 30 * 86_400_000
        let cutoff = try HistoryParameters.now(context.environment) - age
        let dry = context.invocation.flag(dryRun)
        let removed = try LogRecords.purge(before: cutoff, dryRun: dry, in: try context.openDatabase())
        try context.emit(CommandOutput(
            document: .object(["schema_version": 1, "removed": .int(removed), "dry_run": .bool(dry), "before": .instant(cutoff)]),
            text: "\(dry ? "would remove" : "removed") \(removed) log records from before \(cutoff.iso8601)\n"))
    }

    /// `1h`, `2d` (ago) or `YYYY-MM-DD` (UTC midnight).
    static func instant(_ word: String) throws -> EpochMillis {
        if let date = LocalDate(iso: word) { return Int64(date.daysSinceEpoch) * 86_400_000 }
        if let ago = ValueParsing.durationMillis(word) { return EpochMillis.now() - ago }
        throw SpotlogError.usage("--since: '\(word)' is neither a duration (1h, 2d) nor a date (YYYY-MM-DD)")
    }

    private static func print(_ records: [LogRecord], _ context: CommandContext) throws {
        guard !records.isEmpty else { return }
        let text: String
        if context.format == .json || context.format == .ndjson {
            text = records.map { record in
                JSONValue.object([
                    "id": .int(record.id), "at": .instant(record.at), "level": .string(record.level),
                    "component": .string(record.component), "message": .string(record.message),
                    "user": .optional(record.user, JSONValue.string), "job_run_id": .optional(record.jobRunID, JSONValue.int),
                    "import_job_id": .optional(record.importJobID, JSONValue.int),
                    "metadata": record.metadata.flatMap(JSONValue.parse) ?? .null,
                ]).serialized() + "\n"
            }.joined()
        } else {
            text = records.map { record in
                "\(record.at.iso8601) \(record.level) \(record.component)\(record.user.map { " [\($0)]" } ?? "")"
                    + "\(record.jobRunID.map { " job \($0)" } ?? ""): \(record.message)\n"
            }.joined()
        }
        try context.console.out(text)
    }
}

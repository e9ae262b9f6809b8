import Foundation
import GRDB
import Logging

/// Imports Spotify privacy exports into the database, exactly once.
///
/// Overview of `Import/`, a fast adaptor onto the ledger (`Ledger/`, which owns every rule):
/// 1. `ExportContents` (ExportSource.swift) finds the history files in the paths given: ZIP
///    entries, folders, single files; `HistoryFormat` tells extended from account data.
/// 2. `ParsePipeline` (BatchChannel.swift) reads them on worker threads: `FlatRecordParser`
///    splits the JSON into `RawRecord`s without building objects, `RecordNormalizer` checks each
///    field and skips implausible records with a reason (`SkipReason`), and fills a
///    `RecordBatch` of `PlayRecord`s whose strings live in one arena.
/// 3. `ImportSession`, on this thread, hands the batches in file order to the ledger's
///    `PlayWriter`, each file in a savepoint, files committed in groups, and records each file's
///    outcome in `import_jobs`.
/// Concepts: a play's identity (user, end time, kind, item, variant); `local:` ids for items
/// known by name only; `Sightings` numbers items per worker so the writer finds their ids in
/// an array. Where to change what: a new export file name in `HistoryFormat`, a new field in
/// `RecordField` and `RecordNormalizer`, how plays are stored in `Ledger/`.
///
/// Files are parsed on worker threads while this thread writes. Each history file is written in
/// its own savepoint, so a file that turns out to be malformed leaves no rows behind, and files
/// are committed in groups (see `ImportSession`), so a crash or kill at any point leaves every
/// file either fully imported or not at all; re-running the import completes it. A dry run does
/// all of this inside one transaction and rolls it back.
public final class Importer {
    public struct Options: Sendable {
        public var paths: [String]
        public var userHandle: String?
        public var dryRun = false
        public var limits = ImportLimits()
        public var workers = max(1, min(2, ProcessInfo.processInfo.activeProcessorCount))
        /// "Now", for the latest end time a play may have (`PlausiblePlay`).
        public var now: EpochMillis = .now()
        /// Called on the writing thread after each commit, with the number of files committed
        /// so far (another process may write between two commits).
        public var committed: (@Sendable (Int) -> Void)?

        public init(paths: [String], userHandle: String? = nil, dryRun: Bool = false) {
            self.paths = paths
            self.userHandle = userHandle
            self.dryRun = dryRun
        }
    }

    /// SQLite's default `wal_autocheckpoint`, restored after the import.
    private static let autocheckpointPages = 1000
    private let database: SpotlogDatabase
    private static let logger = Logger(label: "spotlog.import")

    public init(database: SpotlogDatabase) { self.database = database }

    /// Finds the history files and starts parsing them, without the database: problems with the
    /// paths themselves (missing, not a ZIP, no history files, unsafe or oversized entries) throw
    /// before a database is even opened, and the first records are ready by the time it is.
    public static func prepare(_ options: Options) throws -> PreparedImport {
        let started = EpochMillis.now()
        let contents = try ExportContents.scan(options.paths, limits: options.limits)
        for file in contents.files {
            Self.logger.debug("found \(file.name): \(file.format.rawValue), \(file.size) bytes")
        }
        let username = contents.username ?? Self.peekUsername(contents.files)
        Self.logger.debug("export username: \(username ?? "none")")
        return PreparedImport(options: options, contents: contents, username: username, started: started)
    }

    /// Prepares and runs the import; see `run(_:progress:)` with a `PreparedImport`.
    public func run(_ options: Options, progress: ((ImportProgress) -> Void)? = nil) throws -> ImportReport {
        try run(Self.prepare(options), progress: progress)
    }

    /// Runs a prepared import. A malformed history file is reported in its
    /// `ImportReport.File.error` and the others are still imported.
    public func run(_ prepared: PreparedImport, progress: ((ImportProgress) -> Void)? = nil) throws -> ImportReport {
        let options = prepared.options, contents = prepared.contents, username = prepared.username
        let started = prepared.started
        var report = ImportReport(
            user: "", dryRun: options.dryRun,
            files: contents.files.map { ImportReport.File(container: $0.container, name: $0.name, format: $0.format, size: $0.size) },
            ignoredFiles: contents.ignored)
        defer { prepared.pipeline.stop() }
        let session = ImportSession(files: contents.files, pipeline: prepared.pipeline, limits: options.limits,
                                    progress: progress)
        if options.dryRun {
            try database.writer.writeWithoutTransaction { db in
                try db.inTransaction {
                    let user = try ImportUser.resolve(handle: options.userHandle, exportUsername: username, in: db)
                    report.user = user.name
                    for index in contents.files.indices {
                        report.files[index] = try session.writeFile(index, userID: try user.rowID, report: report.files[index],
                                                                    db: db)
                    }
                    try session.applyRollups(db)
                    session.close(db)
                    return .rollback
                }
            }
        } else {
            let (user, jobRunID, jobIDs) = try database.writer.write { db in
                let user = try ImportUser.resolve(handle: options.userHandle, exportUsername: username, in: db)
                try Self.markInterruptedImports(db)
                var run = JobRun(userId: user.id, jobType: .import, status: .running, startedAt: started)
                try run.insert(db)
                let jobIDs = try contents.files.map { file in
                    var job = ImportJob(userId: user.id, jobRunId: run.id, path: file.container, file: file.name,
                                        size: file.size, format: file.format.rawValue, status: .pending, createdAt: started)
                    try job.insert(db)
                    return job.id!
                }
                return (user, run.id!, jobIDs)
            }
            report.user = user.name
            let checkpointer = try database.path.map(BackgroundCheckpointer.init(path:))
            try database.writer.writeWithoutTransaction { db in
                // The importer only writes ids it has just read or created on this connection,
                // and values its normaliser has checked (a known kind and source, no negative
                // ms_played), so per-row foreign key and CHECK constraints would find nothing;
                // they are off while it writes (7% of the plays' insert). Checkpoints are left to
                // the checkpointer meanwhile.
                try db.execute(sql: """
                    PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON; PRAGMA wal_autocheckpoint = 0
                    """)
                defer {
                    try? db.execute(sql: """
                        PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF;
                        PRAGMA wal_autocheckpoint = \(Self.autocheckpointPages)
                        """)
                }
                let userID = try user.rowID
                try session.importFiles(userID: userID, jobIDs: jobIDs, reports: &report.files, db: db,
                                        checkpointer: checkpointer, log: { file, jobID in
                    Self.log(file, userID: userID, jobRunID: jobRunID, importJobID: jobID)
                }, committed: options.committed)
            }
            try database.writer.write { db in
                session.close(db)
                try Self.finish(jobRunID, report: report, db: db)
            }
            var logger = Self.logger
            logger[metadataKey: "user"] = "\(try user.rowID)"
            logger[metadataKey: "job_run"] = "\(jobRunID)"
            let totals = report.totals
            logger.info("""
                \(report.user): imported \(report.files.count - report.failedFiles.count) of \(report.files.count) files: \
                \(totals.inserted) new plays, \(totals.duplicates) duplicates, \(totals.merged) merged
                """)
        }
        report.elapsedMillis = EpochMillis.now() - started
        return report
    }

    /// One file's outcome, as a log record about its import job.
    private static func log(_ file: ImportReport.File, userID: Int64, jobRunID: Int64, importJobID: Int64) {
        var logger = Self.logger
        logger[metadataKey: "user"] = "\(userID)"
        logger[metadataKey: "job_run"] = "\(jobRunID)"
        logger[metadataKey: "import_job"] = "\(importJobID)"
        if let error = file.error {
            // Notice, not warning: the command reports failed files itself; this is for `spotlog logs`.
            logger.notice("\(file.name): failed: \(error)")
        } else {
            let counts = file.counts
            logger.info("""
                \(file.name): \(counts.recordsRead) records, \(counts.inserted) new, \(counts.duplicates) duplicates, \
                \(counts.merged) merged
                """)
        }
    }

    /// Marks imports left `pending` or `processing` by a killed run as failed; they have no rows
    /// (each commit is atomic), so importing the same export again completes them.
    static func markInterruptedImports(_ db: Database) throws {
        try db.execute(sql: """
            UPDATE import_jobs SET status = 'error', error = 'interrupted before it finished', finished_at = ?
            WHERE status IN ('pending', 'processing')
            """, arguments: [EpochMillis.now()])
        try db.execute(sql: """
            UPDATE job_runs SET status = 'error', error = 'interrupted before it finished', finished_at = ?
            WHERE status = 'running' AND job_type = 'import'
            """, arguments: [EpochMillis.now()])
    }

    private static func finish(_ jobRunID: Int64, report: ImportReport, db: Database) throws {
        guard var run = try JobRun.fetchOne(db, key: jobRunID) else { return }
        let totals = report.totals
        run.status = report.failedFiles.isEmpty ? .success : .error
        run.finishedAt = .now()
        run.error = report.failedFiles.first.map { "\($0.name): \($0.error ?? "")" }
        run.stats = JSONValue.object([
            "files": .int(report.files.count), "failed_files": .int(report.failedFiles.count),
            "records_read": .int(totals.recordsRead), "inserted": .int(totals.inserted),
            "duplicates": .int(totals.duplicates), "merged": .int(totals.merged),
        ]).serialized()
        try run.update(db)
    }

    /// The `username` of the first extended record, to tell whose export this is.
    static func peekUsername(_ files: [HistoryFile]) -> String? {
        struct Found: ImportFlowError { let username: String? }
        for file in files where file.format.family == .extended {
            let parser = FlatRecordParser()
            do {
                try file.stream { chunk in
                    try parser.feed(chunk) { record in
                        guard let value = record.value(.username), value.kind == .string, value.count > 0, !value.escaped
                        else { throw Found(username: nil) }
                        throw Found(username: String(decoding: record.bytes(value), as: UTF8.self))
                    }
                }
            } catch let found as Found {
                return found.username
            } catch {
                return nil
            }
        }
        return nil
    }
}

/// An import whose history files are found and already being parsed on worker threads, made
/// before the database is opened (`Importer.prepare`). It runs once; dropping it unused stops
/// the workers.
public final class PreparedImport {
    let options: Importer.Options
    let contents: ExportContents
    /// The export's `username`, if it says.
    let username: String?
    let started: EpochMillis
    let pipeline: ParsePipeline

    init(options: Importer.Options, contents: ExportContents, username: String?, started: EpochMillis) {
        self.options = options
        self.contents = contents
        self.username = username
        self.started = started
        pipeline = ParsePipeline(files: contents.files, workers: options.workers,
                                 plausible: PlausiblePlay(now: options.now))
        pipeline.start()
    }

    deinit { pipeline.stop() }
}

import GRDB

/// The writer's side of one import: takes each file's parsed batches from the pipeline, in
/// order, and writes each file in its own savepoint, so a malformed file leaves nothing behind.
///
/// Files are committed together, a transaction per `ImportLimits.bytesPerCommit` of JSON: the
/// rollups of many files are then updated once, not once per file. A crash or kill loses at most
/// the uncommitted files (marked `processing` until then), which a re-run imports again. After
/// each commit, a `BackgroundCheckpointer` (when there is one) moves the committed pages into
/// the database file while the next files are written.
final class ImportSession {
    private let files: [HistoryFile]
    private let pipeline: ParsePipeline
    private let limits: ImportLimits
    private let progress: ((ImportProgress) -> Void)?
    private let cache = CatalogueCache()
    /// Made on first use and kept for the whole import: its prepared statements belong to the
    /// writer connection, so it is released with `close(_:)` while holding that connection.
    private var playWriter: PlayWriter?
    /// Records in the files already written, for the per-import cap.
    private var recordsWritten = 0

    init(files: [HistoryFile], pipeline: ParsePipeline, limits: ImportLimits, progress: ((ImportProgress) -> Void)?) {
        self.files = files
        self.pipeline = pipeline
        self.limits = limits
        self.progress = progress
    }

    /// Imports every file and records each outcome in `import_jobs` (`jobIDs`, in file order).
    /// `db` is the writer connection, outside any transaction; `checkpointer`, when given, is
    /// told of every commit, and finishes the last checkpoint before this returns.
    func importFiles(userID: Int64, jobIDs: [Int64], reports: inout [ImportReport.File], db: Database,
                     checkpointer: BackgroundCheckpointer?, log: (ImportReport.File, Int64) -> Void,
                     committed: ((Int) -> Void)? = nil) throws {
        defer { checkpointer?.finish() }
        var next = 0
        while next < files.count {
            var group = next..<next + 1
            var bytes = files[next].size
            while group.upperBound < files.count && bytes + files[group.upperBound].size <= limits.bytesPerCommit {
                bytes += files[group.upperBound].size
                group = next..<group.upperBound + 1
            }
            let groupJobs = jobIDs[group].map(String.init).joined(separator: ", ")
            try db.inTransaction {
                try db.execute(sql: "UPDATE import_jobs SET status = 'processing', started_at = ? WHERE id IN (\(groupJobs))",
                               arguments: [EpochMillis.now()])
                return .commit
            }
            try db.inTransaction {
                try playWriter?.beginTransaction()
                for index in group {
                    reports[index] = try writeFile(index, userID: userID, report: reports[index], db: db)
                    let file = reports[index]
                    try Self.record(jobIDs[index], counts: file.error == nil ? file.counts : FileCounts(),
                                    error: file.error, db: db)
                }
                try playWriter?.applyRollups(db)
                return .commit
            }
            checkpointer?.checkpoint()
            group.forEach { log(reports[$0], jobIDs[$0]) }
            next = group.upperBound
            committed?(next)
        }
    }

    /// Writes file `index` inside a savepoint of the caller's transaction; a file that fails is
    /// rolled back and reported in the result's `error`.
    func writeFile(_ index: Int, userID: Int64, report: ImportReport.File, db: Database) throws -> ImportReport.File {
        var outcome = report
        do {
            try db.inSavepoint {
                outcome.counts = try consume(index, userID: userID, db: db)
                return .commit
            }
            recordsWritten += outcome.counts.recordsRead
        } catch {
            outcome.error = try problem(error, in: files[index])
            cache.forget()
        }
        return outcome
    }

    /// Applies the rollup changes of the files written so far (dry runs, before rolling back).
    func applyRollups(_ db: Database) throws { try playWriter?.applyRollups(db) }

    private func consume(_ index: Int, userID: Int64, db: Database) throws -> FileCounts {
        let channel = pipeline.channels[index]
        do {
            let writer = try playWriter ?? PlayWriter(db, userID: userID, cache: cache)
            playWriter = writer
            var counts = FileCounts()
            let bytesBefore = files[..<index].reduce(0) { $0 + $1.size }
            let bytesTotal = files.reduce(0) { $0 + $1.size }
            while true {
                switch channel.take() {
                case .batch(let batch, let bytesRead):
                    if recordsWritten + counts.recordsRead + batch.recordsRead > limits.maxRecords {
                        throw SpotlogError.badInput("\(files[index].name): the import has more than "
                                                    + "\(limits.maxRecords) records, more than spotlog accepts at once")
                    }
                    try writer.write(batch, into: &counts)
                    pipeline.recycle(batch)
                    progress?(ImportProgress(filesDone: index, filesTotal: files.count, bytesDone: bytesBefore + bytesRead,
                                             bytesTotal: bytesTotal, records: recordsWritten + counts.recordsRead,
                                             currentFile: files[index].name))
                case .finished:
                    try writer.finishFile(counts: &counts)
                    return counts
                case .failed(let error):
                    throw error
                }
            }
        } catch {
            channel.close()
            playWriter?.abandonFile()
            throw error
        }
    }

    /// Releases the prepared statements; `db` is the writer connection they were made on.
    func close(_ db: Database) {
        playWriter = nil
    }

    /// A one-line description of why a file failed; errors that are not about the file (the
    /// database, say) are rethrown and end the import.
    private func problem(_ error: any Error, in file: HistoryFile) throws -> String {
        switch error {
        case let error as JSONFormatError:
            return "\(file.name): invalid JSON at byte \(error.offset): \(error.message)"
        case let error as RecordTypeError:
            return "\(file.name): record at byte \(error.offset): \(error.message)"
        case let error as SpotlogError where error.category == .badInput || error.category == .notFound:
            return error.message
        default:
            throw error
        }
    }

    private static func record(_ jobID: Int64, counts: FileCounts, error: String?, db: Database) throws {
        let skipped = JSONValue.object(counts.skipped.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { JSONValue.Member($0.key.rawValue, .int($0.value)) }).serialized()
        try db.execute(sql: """
            UPDATE import_jobs SET status = ?, records_read = ?, inserted = ?, duplicates = ?, merged = ?, skipped = ?,
              earliest = ?, latest = ?, error = ?, finished_at = ?
            WHERE id = ?
            """, arguments: [error == nil ? "success" : "error", counts.recordsRead, counts.inserted, counts.duplicates,
                             counts.merged, skipped, counts.earliest, counts.latest, error, EpochMillis.now(), jobID])
    }
}

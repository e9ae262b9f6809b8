import GRDB

/// The writer's side of one import: takes each file's parsed batches from the pipeline, in
/// order, and writes them in that file's own transaction (or savepoint, in a dry run).
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
    private var recordsCommitted = 0

    init(files: [HistoryFile], pipeline: ParsePipeline, limits: ImportLimits, progress: ((ImportProgress) -> Void)?) {
        self.files = files
        self.pipeline = pipeline
        self.limits = limits
        self.progress = progress
    }

    /// Imports file `index` in its own transaction and records the outcome in `import_jobs`.
    /// `db` is the writer connection, outside any transaction.
    func importFile(_ index: Int, userID: Int64, jobID: Int64, report: ImportReport.File, db: Database) throws
        -> ImportReport.File {
        try db.inTransaction {
            try db.execute(sql: "UPDATE import_jobs SET status = 'processing', started_at = ? WHERE id = ?",
                           arguments: [EpochMillis.now(), jobID])
            return .commit
        }
        var outcome = report
        do {
            try db.inTransaction {
                outcome.counts = try consume(index, userID: userID, db: db)
                try Self.record(jobID, counts: outcome.counts, error: nil, db: db)
                return .commit
            }
            recordsCommitted += outcome.counts.recordsRead
        } catch {
            outcome.error = try problem(error, in: files[index])
            cache.forget()
            try db.inTransaction {
                try Self.record(jobID, counts: FileCounts(), error: outcome.error, db: db)
                return .commit
            }
        }
        return outcome
    }

    /// Writes file `index` inside a savepoint of the caller's transaction (dry runs).
    func writeFile(_ index: Int, userID: Int64, report: ImportReport.File, db: Database) throws -> ImportReport.File {
        var outcome = report
        do {
            try db.inSavepoint {
                outcome.counts = try consume(index, userID: userID, db: db)
                return .commit
            }
            recordsCommitted += outcome.counts.recordsRead
        } catch {
            outcome.error = try problem(error, in: files[index])
            cache.forget()
        }
        return outcome
    }

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
                    if recordsCommitted + counts.recordsRead + batch.recordsRead > limits.maxRecords {
                        throw SpotlogError.badInput("\(files[index].name): the import has more than "
                                                    + "\(limits.maxRecords) records, more than spotlog accepts at once")
                    }
                    try writer.write(batch, into: &counts)
                    pipeline.recycle(batch)
                    progress?(ImportProgress(filesDone: index, filesTotal: files.count, bytesDone: bytesBefore + bytesRead,
                                             bytesTotal: bytesTotal, records: recordsCommitted + counts.recordsRead,
                                             currentFile: files[index].name))
                case .finished:
                    try writer.finishFile(db, counts: &counts)
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

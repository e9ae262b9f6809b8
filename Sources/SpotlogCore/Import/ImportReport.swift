/// What an import did, per file and in total.
public struct ImportReport: Sendable {
    /// One history file's outcome.
    public struct File: Sendable {
        public let container: String
        public let name: String
        public let format: HistoryFormat
        public let size: Int64
        public var counts = FileCounts()
        /// Why the file was not imported, or `nil` when it was.
        public var error: String?
    }

    public var user: String
    public var dryRun: Bool
    public var files: [File]
    public var ignoredFiles: [String]
    public var elapsedMillis: Int64 = 0

    /// Counts summed over the files that were imported.
    public var totals: FileCounts {
        files.filter { $0.error == nil }.reduce(into: FileCounts()) { $0.add($1.counts) }
    }

    public var failedFiles: [File] { files.filter { $0.error != nil } }
}

/// How far an import has got, for progress display.
public struct ImportProgress: Sendable {
    public let filesDone: Int
    public let filesTotal: Int
    public let bytesDone: Int64
    public let bytesTotal: Int64
    public let records: Int
    public let currentFile: String
}

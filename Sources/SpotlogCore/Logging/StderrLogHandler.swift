import Foundation
import Logging

/// A swift-log handler that writes one line per message to standard error:
/// `spotlog: debug: import: endsong_0.json: 15000 records, 14990 new, 10 duplicates, 0 merged`.
public struct StderrLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let component = label.hasPrefix("spotlog.") ? String(label.dropFirst(8)) + ": " : ""
        let line = "spotlog: \(event.level): \(component)\(event.message)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}

/// Sets up logging for the process, once.
public enum SpotlogLogging {
    private static let state = NSLock()
    nonisolated(unsafe) private static var done = false

    /// Sends every logger's messages at `level` or above to standard error.
    public static func bootstrap(level: Logger.Level) {
        state.lock()
        defer { state.unlock() }
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in StderrLogHandler(label: label, level: level) }
    }
}

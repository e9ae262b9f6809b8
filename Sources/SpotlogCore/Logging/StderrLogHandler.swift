import Foundation
import Logging

/// A swift-log handler that writes one line per message to standard error:
/// `spotlog: debug: import: endsong_0.json: 15000 records, 14990 new, 10 duplicates, 0 merged`.
/// With `json`, one JSON object per line instead: `{"at", "level", "component", "message", ...metadata}`.
public struct StderrLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let json: Bool

    public init(label: String, level: Logger.Level, json: Bool = false) {
        self.label = label
        self.logLevel = level
        self.json = json
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let component = label.hasPrefix("spotlog.") ? String(label.dropFirst(8)) : label
        let line: String
        if json {
            var merged = metadata
            if let extra = event.metadata { merged.merge(extra) { $1 } }
            let fields: [JSONValue.Member] = [.init("at", .string(EpochMillis.now().iso8601)),
                                              .init("level", .string(event.level.rawValue)),
                                              .init("component", .string(component)),
                                              .init("message", .string("\(event.message)"))]
                + merged.sorted { $0.key < $1.key }.map { .init($0.key, .string("\($0.value)")) }
            line = JSONValue.object(fields).serialized() + "\n"
        } else {
            line = "spotlog: \(event.level): \(component.isEmpty ? "" : component + ": ")\(event.message)\n"
        }
        FileHandle.standardError.write(Data(line.utf8))
    }
}

/// Sets up logging for the process, once.
public enum SpotlogLogging {
    private static let state = NSLock()
    nonisolated(unsafe) private static var done = false

    /// Sends every logger's messages at `level` or above to standard error (as JSON lines with
    /// `json`), and those of `info` and above to the database (`DatabaseLogSink`) once one is
    /// attached.
    public static func bootstrap(level: Logger.Level, json: Bool = false) {
        state.lock()
        defer { state.unlock() }
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            MultiplexLogHandler([StderrLogHandler(label: label, level: level, json: json), DatabaseLogHandler(label: label)])
        }
    }
}

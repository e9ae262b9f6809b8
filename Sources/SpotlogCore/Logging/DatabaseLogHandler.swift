import Foundation
import GRDB
import Logging

/// Stores log records of `info` and above in the `logs` table of the database a command opened,
/// so `spotlog logs` shows what the collector and importer did, with the user and job they were
/// about (metadata `user`, `job_run`, `import_job`: row ids).
///
/// Writing a record never fails the work that logs it: records go through a connection of
/// their own with a short busy timeout, and one that cannot be written (the database is busy or
/// read-only) is dropped, which is said once on standard error.
public final class DatabaseLogSink: @unchecked Sendable {
    // Safe: `state` is only touched inside `lock`.
    public static let shared = DatabaseLogSink()

    private struct State {
        var path: String?
        var queue: DatabaseQueue?
        var warned = false
    }

    private let lock = NSLock()
    private var state = State()

    /// From now on, records go to the database at `path` (a database spotlog may write).
    public func attach(path: String) {
        lock.lock()
        defer { lock.unlock() }
        state = State(path: path)
    }

    func write(level: Logger.Level, component: String, message: String, metadata: Logger.Metadata) {
        lock.lock()
        defer { lock.unlock() }
        guard let path = state.path else { return }
        do {
            if state.queue == nil {
                var configuration = Configuration()
                configuration.busyMode = .timeout(0.25)
                // As the main connection: in WAL mode a commit then waits for no disk flush.
                configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
                state.queue = try DatabaseQueue(path: path, configuration: configuration)
            }
            func id(_ key: String) -> Int64? { metadata[key].flatMap { Int64("\($0)") } }
            let rest = metadata.filter { !["user", "job_run", "import_job"].contains($0.key) }
            let extra = rest.isEmpty ? nil
                : JSONValue.object(rest.sorted { $0.key < $1.key }.map { .init($0.key, .string("\($0.value)")) }).serialized()
            try state.queue?.write { db in
                try db.execute(sql: """
                    INSERT INTO logs (at, level, label, message, user_id, job_run_id, import_job_id, metadata)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [EpochMillis.now(), level.rawValue, component, message, id("user"), id("job_run"),
                                     id("import_job"), extra])
            }
        } catch {
            if !state.warned {
                state.warned = true
                FileHandle.standardError.write(Data(
                    "spotlog: warning: log records could not be stored in the database (\(SpotlogError.from(error).message)); some were dropped\n".utf8))
            }
        }
    }
}

/// The swift-log handler that hands `info` and above to `DatabaseLogSink.shared`.
public struct DatabaseLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let component: String

    public init(label: String) {
        component = label.hasPrefix("spotlog.") ? String(label.dropFirst(8)) : label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        DatabaseLogSink.shared.write(level: event.level, component: component, message: "\(event.message)", metadata: merged)
    }
}

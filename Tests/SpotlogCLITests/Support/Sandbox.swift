import Foundation
import SpotlogCore

/// A private HOME with XDG directories, deleted when released, in which the built `spotlog`
/// binary runs as a separate process.
final class Sandbox {
    let root: URL
    var extraEnvironment: [String: String] = [:]

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("spotlog-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var home: URL { root.appendingPathComponent("home") }
    var dataHome: URL { root.appendingPathComponent("data") }
    var configHome: URL { root.appendingPathComponent("config") }
    /// Where spotlog keeps its database by default in this sandbox.
    var defaultDatabase: URL { dataHome.appendingPathComponent("spotlog/spotlog.db") }

    var environment: [String: String] {
        var environment = [
            "HOME": home.path, "XDG_DATA_HOME": dataHome.path, "XDG_CONFIG_HOME": configHome.path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "TZ": "UTC",
        ]
        environment.merge(extraEnvironment) { $1 }
        return environment
    }

    /// Creates an empty, migrated database at `path` (by default where spotlog looks for it):
    /// commands that only read need one to exist.
    func createDatabase(at path: String? = nil) throws {
        _ = try SpotlogDatabase.open(path: path ?? defaultDatabase.path)
    }

    /// The outcome of one run of the binary.
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Starts `spotlog arguments...` in the background; its standard output goes to `output`
    /// (else nowhere), its standard error nowhere.
    func launch(_ arguments: [String], output: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `spotlog arguments...` (or `executable prefix... arguments...`) and waits for it.
    @discardableResult
    func run(_ arguments: [String], stdin: Data? = nil, environment overrides: [String: String] = [:],
             executable: URL = Sandbox.binary, prefix: [String] = []) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = prefix + arguments
        process.environment = environment.merging(overrides) { $1 }
        process.currentDirectoryURL = root
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Drain both pipes concurrently so a chatty process cannot block on a full pipe.
        let errorData = LockedData()
        let drainError = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        drainError.start()
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        return Result(status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
                      stderr: String(decoding: errorData.value, as: UTF8.self))
    }

    /// The `spotlog` executable: the one built next to the test runner, or the one
    /// `SPOTLOG_TEST_BINARY` names (`Scripts/test.sh` runs the end-to-end suites again against the
    /// release binary, whose link differs).
    static let binary = ProcessInfo.processInfo.environment["SPOTLOG_TEST_BINARY"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("spotlog")

    /// The package's root directory (for fixtures and committed docs).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// Data handed from a reader thread, guarded by a lock.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return data != nil }
    var value: Data { lock.lock(); defer { lock.unlock() }; return data ?? Data() }
}

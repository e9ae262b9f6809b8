import Foundation

/// Runs Python snippets for interoperability tests: `SPOTLOG_TEST_PYTHON` (the venv that
/// `Scripts/test.sh` sets up), else `python3` on PATH.
enum PythonHelper {
    static var executable: String {
        ProcessInfo.processInfo.environment["SPOTLOG_TEST_PYTHON"] ?? "/usr/bin/env"
    }

    /// Runs `script` with `arguments`; returns standard output, trimmed. Throws on failure.
    static func run(_ script: String, _ arguments: [String] = [], environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        let prefix = ProcessInfo.processInfo.environment["SPOTLOG_TEST_PYTHON"] == nil ? ["python3"] : []
        process.arguments = prefix + ["-c", script] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PythonFailure(message: String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct PythonFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { "python failed: \(message)" }
    }
}

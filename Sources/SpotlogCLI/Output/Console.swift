import Foundation
import SpotlogCore

/// Standard output and error, written with `write(2)` so a closed pipe is noticed (as `EPIPE`,
/// with `SIGPIPE` ignored) and ends the program quietly instead of crashing it.
public final class Console: @unchecked Sendable {
    // Safe: the flags are constants, and every write to the two descriptors holds `lock`.
    /// Thrown when the reader of standard output went away (`spotlog ... | head`).
    public struct BrokenPipe: Error {}

    public let stdoutIsTerminal: Bool
    public let stderrIsTerminal: Bool
    private let lock = NSLock()

    public init() {
        stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
        stderrIsTerminal = isatty(STDERR_FILENO) == 1
    }

    /// Writes data to standard output.
    public func out(_ text: String) throws {
        let error = write(text, to: STDOUT_FILENO)
        if error == EPIPE { throw BrokenPipe() }
        if error != 0 {
            throw SpotlogError.failure("cannot write output: \(String(cString: strerror(error)))")
        }
    }

    /// Writes a message to standard error; failures there are ignored (nowhere left to report).
    public func err(_ text: String) {
        _ = write(text, to: STDERR_FILENO)
    }

    /// Writes everything, retrying short writes; returns 0 or the `errno` of the failure.
    private func write(_ text: String, to descriptor: Int32) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return errno
            }
            offset += written
        }
        return 0
    }
}

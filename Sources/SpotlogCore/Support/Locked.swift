import Foundation

/// A value that several threads read and change, each access under a lock.
public final class Locked<Value>: @unchecked Sendable {
    // Safe: `value` is only touched inside `withLock`, while `lock` is held.
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    /// Runs `body` on the value while holding the lock.
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

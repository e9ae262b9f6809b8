import Foundation

/// Only one collector (poll, sync, enrich, daemon) works on a database at a time.
///
/// The lock is an `flock` on `<database>.collector.lock`, which holds the owner's pid. The
/// kernel releases it when its process ends however it ends, so a lock left by a killed
/// collector is simply taken by the next one. Imports and queries do not take it.
public final class CollectorLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock of the database at `databasePath`, or fails naming the process holding it.
    public init(databasePath: String) throws {
        let path = databasePath + ".collector.lock"
        // Never through a symbolic link: the lock file is truncated below.
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        var info = stat()
        guard descriptor >= 0, fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            let reason = descriptor >= 0 ? "not a regular file" : String(cString: strerror(errno))
            if descriptor >= 0 { close(descriptor) }
            throw SpotlogError.configuration("cannot use the collector lock \(path): \(reason)")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(descriptor, &buffer, buffer.count, 0)
            close(descriptor)
            let pid = count > 0 ? String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            throw SpotlogError.temporary("another spotlog is collecting (pid \(pid))")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, pid, pid.count, 0)
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }
}

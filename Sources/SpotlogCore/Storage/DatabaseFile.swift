import Foundation

/// How a command uses the database.
public enum DatabaseAccess: Sendable {
    /// It writes: a missing database is created.
    case readWrite
    /// It only reads: a missing (or empty) database is an error, and one spotlog cannot write to
    /// is opened read-only.
    case readOnly
}

/// The checks made on a database path before SQLite opens it, so that spotlog never changes,
/// overwrites or creates a file it should not.
///
/// - An existing file is used as it is (its mode is never changed) when it is a regular file
///   (a symbolic link to one is followed) that is empty or starts with SQLite's header.
///   Anything else (a device, a directory, a text file, a 1-byte file) is refused untouched.
/// - A missing file is created, mode 0600 in a 0700 directory, only when the command may
///   create one; commands that only read refuse a missing file instead.
enum DatabaseFile {
    typealias Access = DatabaseAccess

    /// What was found at the path.
    enum State {
        /// spotlog just created an empty file there.
        case created
        /// An existing file that is empty or an SQLite database.
        case existing(writable: Bool, empty: Bool)
    }

    /// The 16 bytes every SQLite database file starts with.
    private static let sqliteHeader = Array("SQLite format 3\0".utf8)

    /// Checks `path` (creating it when missing and `access` allows) and says what is there.
    static func prepare(_ path: String, access: Access) throws -> State {
        var info = stat()
        if stat(path, &info) == 0 { return try check(path, info) }
        guard errno == ENOENT else {
            throw SpotlogError.configuration("cannot open database \(path): \(String(cString: strerror(errno)))")
        }
        guard access == .readWrite else { throw SpotlogError.notFound("no spotlog database at \(path)") }
        try createDirectory(of: path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            // Another process created it first: check what it made, like any existing file.
            if errno == EEXIST, stat(path, &info) == 0 { return try check(path, info) }
            throw SpotlogError.configuration("cannot create database \(path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        return .created
    }

    /// Refuses what is not a regular file holding nothing or an SQLite database; says whether
    /// spotlog may write there (the file, and the folder for SQLite's `-wal` and `-shm` files).
    private static func check(_ path: String, _ info: stat) throws -> State {
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw SpotlogError.configuration("\(path) is a directory, not a database file")
        default: throw SpotlogError.configuration("\(path) is not a regular file; spotlog keeps its database in one")
        }
        if info.st_size > 0 {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw SpotlogError.configuration("cannot read database \(path): permission denied")
            }
            defer { try? handle.close() }
            let head = [UInt8]((try? handle.read(upToCount: sqliteHeader.count)) ?? Data())
            guard head == sqliteHeader else {
                throw SpotlogError.badInput("\(path) is not a spotlog database (not an SQLite file); it was left untouched")
            }
        }
        let directory = (path as NSString).deletingLastPathComponent
        let writable = access(path, W_OK) == 0 && access(directory.isEmpty ? "." : directory, W_OK) == 0
        return .existing(writable: writable, empty: info.st_size == 0)
    }

    /// Creates the folder of `path` (mode 0700) when missing.
    private static func createDirectory(of path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) else { return }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw SpotlogError.configuration("cannot create directory \(directory): \(error.localizedDescription)")
        }
    }
}

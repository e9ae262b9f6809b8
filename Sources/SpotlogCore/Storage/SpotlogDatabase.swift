import Foundation
import GRDB

/// The spotlog database: one SQLite file in WAL mode, migrated on open.
///
/// On disk it is a `DatabasePool` (concurrent readers, one writer); unit tests use an in-memory
/// `DatabaseQueue`. The file is created with mode 0600 inside a 0700 directory, because it holds
/// (encrypted) tokens and a person's listening history.
public final class SpotlogDatabase: Sendable {
    /// Where the data lives, or `nil` for an in-memory database.
    public let path: String?
    public let writer: any DatabaseWriter
    public var reader: any DatabaseReader { writer }

    private init(path: String?, writer: any DatabaseWriter) throws {
        self.path = path
        self.writer = writer
        try Self.migrate(writer, path: path ?? ":memory:")
    }

    /// Opens (creating if needed) the database file at `path` and applies pending migrations.
    public static func open(path: String) throws -> SpotlogDatabase {
        try prepareFile(at: path)
        do {
            let pool = try DatabasePool(path: path, configuration: configuration())
            return try SpotlogDatabase(path: path, writer: pool)
        } catch let error as DatabaseError {
            throw translate(error, path: path)
        }
    }

    /// A fresh, migrated in-memory database (for tests).
    public static func inMemory() throws -> SpotlogDatabase {
        try SpotlogDatabase(path: nil, writer: DatabaseQueue(configuration: configuration()))
    }

    /// The migrations applied to this database, in order.
    public func appliedMigrations() throws -> [String] {
        try reader.read { db in try Schema.migrator.appliedMigrations(db) }
    }

    /// The schema version: the number of migrations applied.
    public func schemaVersion() throws -> Int { try appliedMigrations().count }

    private static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // WAL makes NORMAL durable against application crashes; only power loss can drop
            // the last committed transactions.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Takes effect only when the file is created. Larger pages than SQLite's 4 KiB mean
            // a quarter of the write calls for an import (about 10% faster, measured), and made
            // no difference to the history queries.
            try db.execute(sql: "PRAGMA page_size = 16384")
        }
        return config
    }

    /// Applies pending migrations. An up-to-date database (the usual case) costs one read and no
    /// write lock, so read-only commands never wait for, or block, a writer. A new, empty
    /// database gets the schema the migrations make in one step (`Schema.snapshot`), which is
    /// several times faster than running them.
    private static func migrate(_ writer: any DatabaseWriter, path: String) throws {
        let migrator = Schema.migrator
        do {
            // (applied migrations, whether the database has no schema at all)
            var (applied, empty) = try writer.read { db in
                guard try db.tableExists("grdb_migrations") else {
                    return (Set<String>(), try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0)
                }
                return (try String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations"), false)
            }
            let known = Set(Schema.migrationNames)
            if !applied.isSubset(of: known) {
                throw SpotlogError.configuration("\(path) was written by a newer spotlog; upgrade spotlog to use it")
            }
            if empty {
                try writer.write(Schema.createFromSnapshot)
                applied = Set(Schema.snapshotMigrations)
            }
            if applied != known { try migrator.migrate(writer) }
        } catch let error as DatabaseError {
            throw translate(error, path: path)
        }
    }

    /// Creates the parent directory (0700) and an empty database file (0600) when missing, and
    /// narrows the mode of an existing file that others could read.
    private static func prepareFile(at path: String) throws {
        let fileManager = FileManager.default
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !fileManager.fileExists(atPath: directory) {
            do {
                try fileManager.createDirectory(
                    atPath: directory, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
            } catch {
                throw SpotlogError.configuration("cannot create directory \(directory): \(error.localizedDescription)")
            }
        }
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw SpotlogError.configuration("\(path) is a directory, not a database file") }
            if let mode = try? fileManager.attributesOfItem(atPath: path)[.posixPermissions] as? Int, mode & 0o077 != 0 {
                chmod(path, 0o600)
            }
            return
        }
        let descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { return }
            throw SpotlogError.configuration("cannot create database \(path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
    }

    private static func translate(_ error: DatabaseError, path: String) -> SpotlogError {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return .badInput("\(path) is not a spotlog database (\(error.message ?? "unreadable"))")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .temporary("the database \(path) is busy; try again")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
            return .configuration("cannot open database \(path) (\(error.message ?? "permission denied"))")
        default:
            return .failure("database error: \(error.message ?? "\(error.resultCode)")")
        }
    }
}

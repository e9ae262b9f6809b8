import Foundation
import GRDB

/// The spotlog database: one SQLite file in WAL mode, migrated on open.
///
/// On disk it is a `DatabasePool` (concurrent readers, one writer), or a read-only
/// `DatabaseQueue` for a command that only reads an up-to-date file or for a file spotlog
/// cannot write to; unit tests use an in-memory `DatabaseQueue`. The file is created with mode
/// 0600 inside a 0700 directory, because it holds (encrypted) tokens and a person's listening
/// history; an existing file's mode is left alone.
public final class SpotlogDatabase: Sendable {
    /// Where the data lives, or `nil` for an in-memory database.
    public let path: String?
    public let writer: any DatabaseWriter
    public var reader: any DatabaseReader { writer }

    private init(path: String?, writer: any DatabaseWriter) {
        self.path = path
        self.writer = writer
    }

    /// Opens the database file at `path` and applies pending migrations; creates it when missing
    /// if `access` is `.readWrite` (see `DatabaseFile` for what spotlog refuses to open). A
    /// command that only reads opens a database it cannot write to (a backup, a read-only
    /// mount) read-only; one that writes is refused it.
    public static func open(path: String, access: DatabaseAccess = .readWrite) throws -> SpotlogDatabase {
        let state = try DatabaseFile.prepare(path, access: access)
        do {
            switch state {
            case .existing(writable: _, empty: true) where access == .readOnly:
                throw SpotlogError.notFound("no spotlog database at \(path) (the file is empty)")
            case .existing(writable: false, empty: _) where access == .readWrite:
                throw SpotlogError.configuration("cannot write to the database \(path): it is read-only")
            case .existing(writable: false, empty: _):
                return try openReadOnly(path: path)
            case .existing(writable: true, empty: false) where access == .readOnly:
                return try openForReading(path: path)
            case .created, .existing(writable: true, empty: _):
                return try openMigrated(path: path)
            }
        } catch let error as DatabaseError {
            throw translate(error, path: path)
        }
    }

    /// The pool on a writable file, with pending migrations applied.
    private static func openMigrated(path: String) throws -> SpotlogDatabase {
        let database = SpotlogDatabase(path: path, writer: try openPool(path: path))
        try migrate(database.writer, path: path)
        return database
    }

    /// For a command that only reads, a read-only connection when the schema is current (the
    /// usual case), else the migrated pool. Opening the pool writes: GRDB gives the WAL file a
    /// first transaction, and when the last connection closes SQLite checkpoints and removes the
    /// WAL, four fdatasyncs in all: `history top-artists` took 14 ms with the pool and 9 ms
    /// without on the sample's database, 17 and 11 ms on a million plays (farm-bench medians).
    /// The read-only connection leaves SQLite's `-wal` and `-shm` files for the next writer.
    private static func openForReading(path: String) throws -> SpotlogDatabase {
        let (queue, applied) = try readOnlyQueue(path)
        try checkKnown(applied, path: path)
        if applied == Set(Schema.migrationNames) { return SpotlogDatabase(path: path, writer: queue) }
        try queue.close()
        return try openMigrated(path: path)
    }

    /// The pool on a writable file. Opening it switches a new file to WAL, and SQLite answers
    /// that switch "database is locked" at once, without waiting, while another process switches
    /// the same new file: so it is tried again, briefly, until the other one is done.
    private static func openPool(path: String) throws -> DatabasePool {
        var attempts = 0
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration())
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && attempts < 200 {
                attempts += 1
                usleep(10_000)
            }
        }
    }

    /// A database spotlog cannot write to, for reading. When SQLite cannot make the shared-memory
    /// file that WAL mode reads with (the folder is read-only too), the file is opened as
    /// immutable: nothing can write it there.
    private static func openReadOnly(path: String) throws -> SpotlogDatabase {
        let queue: DatabaseQueue, applied: Set<String>
        do {
            (queue, applied) = try readOnlyQueue(path)
        } catch let error as DatabaseError where [.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(error.resultCode) {
            // Debian's SQLite understands URIs in file names (SQLITE_USE_URI).
            (queue, applied) = try readOnlyQueue(
                "file:" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path) + "?immutable=1")
        }
        try checkKnown(applied, path: path)
        if applied != Set(Schema.migrationNames) {
            throw SpotlogError.configuration(
                "\(path) is read-only and was written by an older spotlog; it needs an upgrade, which needs write access")
        }
        return SpotlogDatabase(path: path, writer: queue)
    }

    /// A read-only connection to `name` (a path or an SQLite URI), and the migrations recorded there.
    private static func readOnlyQueue(_ name: String) throws -> (DatabaseQueue, Set<String>) {
        var configuration = configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: name, configuration: configuration)
        return (queue, try queue.read(appliedMigrations(_:)))
    }

    /// The migrations recorded in `db`.
    private static func appliedMigrations(_ db: Database) throws -> Set<String> {
        try db.tableExists("grdb_migrations") ? String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations") : []
    }

    private static func checkKnown(_ applied: Set<String>, path: String) throws {
        if !applied.isSubset(of: Set(Schema.migrationNames)) {
            throw SpotlogError.configuration("\(path) was written by a newer spotlog; upgrade spotlog to use it")
        }
    }

    /// A fresh, migrated in-memory database (for tests).
    public static func inMemory() throws -> SpotlogDatabase {
        let database = SpotlogDatabase(path: nil, writer: try DatabaseQueue(configuration: configuration()))
        try migrate(database.writer, path: ":memory:")
        return database
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
    ///
    /// Several processes may open a new or old database at once: the snapshot is written only
    /// if the database is still empty inside the write transaction that writes it, and a
    /// migration that fails because another process applied it first is not an error.
    private static func migrate(_ writer: any DatabaseWriter, path: String) throws {
        let known = Set(Schema.migrationNames)
        do {
            // (applied migrations, whether the database has no schema at all)
            let (applied, empty) = try writer.read { db in
                guard try db.tableExists("grdb_migrations") else {
                    return (Set<String>(), try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0)
                }
                return (try String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations"), false)
            }
            try checkKnown(applied, path: path)
            if applied == known { return }
            if applied.isEmpty && !empty {
                throw SpotlogError.badInput("\(path) is an SQLite database, but not spotlog's; it was left untouched")
            }
            if empty {
                try writer.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        if try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0 {
                            try Schema.createFromSnapshot(db)
                        }
                        return .commit
                    }
                }
            }
            try migrateRacing(writer, known: known)
        } catch let error as DatabaseError {
            throw translate(error, path: path)
        }
    }

    /// Runs the migrator, which reads the applied migrations before each one's transaction, so
    /// another process migrating at the same moment can make it fail on a migration it has just
    /// applied; each retry starts after the migrations that process committed.
    private static func migrateRacing(_ writer: any DatabaseWriter, known: Set<String>) throws {
        for attempt in 1...known.count {
            do {
                return try Schema.migrator.migrate(writer)
            } catch {
                let applied = try writer.read(appliedMigrations(_:))
                if applied == known { return }
                if attempt == known.count { throw error }
            }
        }
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

import Dispatch
import GRDB
import GRDBSQLite

/// Copies committed pages from the write-ahead log into the database file on a connection and a
/// thread of its own, while a long import goes on writing.
///
/// A checkpoint syncs the log to disk, copies its pages, then syncs the database file. Done at
/// the end of an import, by the writer, that is two waits for the disk on every page the import
/// wrote (about 40 ms for 200,000 plays). Done here after each commit, the waits overlap the
/// import's work, and the last checkpoint only covers the last commit's pages. The importer's
/// own connection stops checkpointing meanwhile (`wal_autocheckpoint = 0`).
///
/// Checkpoints here are passive: they never wait for, or block, readers and the writer. A
/// checkpoint that cannot run (another connection is checkpointing) is simply left to the next
/// one; nothing depends on it but speed.
final class BackgroundCheckpointer: @unchecked Sendable {
    // Safe: the SQLite connection is used only on `queue`, one block at a time.
    private let connection: OpaquePointer
    private let queue = DispatchQueue(label: "spotlog.checkpoint")

    /// Opens a connection to the database file at `path`.
    init(path: String) throws {
        var connection: OpaquePointer?
        let code = sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let connection else {
            sqlite3_close_v2(connection)
            throw SpotlogError.failure("cannot open \(path) to checkpoint it (SQLite error \(code))")
        }
        self.connection = connection
        // A connection learns that the file is in WAL mode, and opens the log, on its first
        // read; until then a checkpoint on it does nothing.
        sqlite3_exec(connection, "SELECT count(*) FROM sqlite_schema", nil, nil, nil)
    }

    deinit { sqlite3_close_v2(connection) }

    /// Starts a checkpoint of what is committed so far, and returns at once.
    func checkpoint() {
        queue.async { [self] in runCheckpoint() }
    }

    /// Waits for the checkpoints started so far, then checkpoints what is left; the log's pages
    /// are then all in the database file, on disk.
    func finish() {
        queue.sync { runCheckpoint() }
    }

    private func runCheckpoint() {
        sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
    }
}

import GRDB
import GRDBSQLite

/// A prepared statement driven through SQLite's C API on a GRDB connection.
///
/// Used only where GRDB's convenient argument boxing would dominate the cost (the import writes
/// hundreds of thousands of rows a second). Text is bound without copying (`SQLITE_STATIC`), so
/// bound bytes must stay alive until the statement is stepped and reset. A statement must not
/// outlive the `Database` access it was made in.
final class RawStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer

    init(_ db: Database, _ sql: String) throws {
        guard let connection = db.sqliteConnection else { throw SpotlogError.failure("the database is closed") }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.handle = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    @inline(__always)
    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds UTF-8 text without copying it; `nil` binds NULL.
    @inline(__always)
    func bind(_ index: Int32, utf8 bytes: UnsafeBufferPointer<UInt8>?) {
        guard let bytes else { sqlite3_bind_null(handle, index); return }
        let base = UnsafeRawPointer(bytes.baseAddress) ?? UnsafeRawPointer(bitPattern: 1)!
        sqlite3_bind_text(handle, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
    }

    /// Binds a Swift string (copied by SQLite).
    func bind(_ index: Int32, _ text: String?) {
        guard let text else { sqlite3_bind_null(handle, index); return }
        sqlite3_bind_text(handle, index, text, -1, SQLITE_TRANSIENT)
    }

    /// Binds bytes as a BLOB without copying them.
    func bind(_ index: Int32, blob: UnsafeRawBufferPointer) {
        sqlite3_bind_blob(handle, index, blob.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(blob.count), nil)
    }

    /// Runs one step: `true` when a row is available, `false` when done.
    @discardableResult
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        let message = String(cString: sqlite3_errmsg(connection))
        sqlite3_reset(handle)
        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
    }

    /// Resets the statement for the next execution (bindings are kept until rebound).
    @inline(__always)
    func reset() { sqlite3_reset(handle) }

    /// Executes to completion and resets.
    func run() throws {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    /// The first column of the first row as an integer (or `nil`), then resets.
    func firstInt64() throws -> Int64? {
        defer { sqlite3_reset(handle) }
        guard try step(), sqlite3_column_type(handle, 0) != SQLITE_NULL else { return nil }
        return sqlite3_column_int64(handle, 0)
    }

    @inline(__always)
    func int64(column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// How many columns the statement's rows have.
    var columnCount: Int32 { sqlite3_column_count(handle) }

    func isNull(column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// The bytes of a BLOB column (empty when NULL).
    func blob(column: Int32) -> UnsafeRawBufferPointer {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let base = sqlite3_column_blob(handle, column), count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base, count: count)
    }

    func text(column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        return String(cString: text)
    }

    /// Rows changed by the last statement on this connection.
    var changes: Int32 { sqlite3_changes(connection) }

    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(connection) }
}

/// SQLite's "copy this text" destructor constant.
private let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

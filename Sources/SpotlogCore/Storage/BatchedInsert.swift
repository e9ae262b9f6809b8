import GRDB

/// Writes many rows with one statement: an `INSERT` (or upsert) whose `VALUES` list holds
/// `rowsPerStatement` rows runs for every that many rows added, and the rest run one at a time
/// in `finish()`. SQLite spends much of a one-row statement on starting and ending it, so this
/// is several times faster for the rollups an import updates.
final class BatchedInsert {
    /// A value to bind; text and blobs are not copied, so their bytes must stay alive until
    /// `finish()`.
    enum Value {
        case int(Int64?)
        case text(UnsafeBufferPointer<UInt8>)
        case blob(UnsafeRawBufferPointer)
    }

    private let many, one: RawStatement
    private let columns: Int
    private let rowsPerStatement: Int
    private var values: [Value] = []

    /// `row` is one row's parenthesised values with `?` for each of the `columns` bound values;
    /// `tail` follows the `VALUES` list (an `ON CONFLICT` clause, say).
    init(_ db: Database, head: String, row: String, tail: String, columns: Int, rowsPerStatement: Int = 64) throws {
        func statement(rows: Int) throws -> RawStatement {
            try RawStatement(db, "\(head) VALUES \(Array(repeating: row, count: rows).joined(separator: ", ")) \(tail)")
        }
        many = try statement(rows: rowsPerStatement)
        one = try statement(rows: 1)
        self.columns = columns
        self.rowsPerStatement = rowsPerStatement
        values.reserveCapacity(columns * rowsPerStatement)
    }

    /// Adds a row (its values in column order); a full batch is written at once.
    func add(_ row: Value...) throws {
        values.append(contentsOf: row)
        guard values.count == columns * rowsPerStatement else { return }
        defer { values.removeAll(keepingCapacity: true) }
        try run(many, values[...])
    }

    /// Writes the rows that did not fill a batch.
    func finish() throws {
        defer { values.removeAll(keepingCapacity: true) }
        for start in stride(from: 0, to: values.count, by: columns) {
            try run(one, values[start..<start + columns])
        }
    }

    private func run(_ statement: RawStatement, _ row: ArraySlice<Value>) throws {
        for (offset, value) in row.enumerated() {
            switch value {
            case .int(let number): statement.bind(Int32(offset + 1), number)
            case .text(let bytes): statement.bind(Int32(offset + 1), utf8: bytes)
            case .blob(let bytes): statement.bind(Int32(offset + 1), blob: bytes)
            }
        }
        try statement.run()
    }
}

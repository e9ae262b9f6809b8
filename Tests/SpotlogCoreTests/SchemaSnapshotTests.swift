import Foundation
import GRDB
import Testing
@testable import SpotlogCore

/// A new database is created from `Schema.snapshot`, not by running the migrations; the
/// snapshot must be exactly what the migrations make. Run `SPOTLOG_RECORD=1 swift test` (or
/// `Scripts/update-docs.sh`) to re-record it after adding a migration.
@Suite struct SchemaSnapshotTests {
    static let recording = ProcessInfo.processInfo.environment["SPOTLOG_RECORD"] == "1"
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/SpotlogCore/Storage/SchemaSnapshot.swift")

    /// Every schema object as `type name on table: sql`, in creation order.
    static func schema(_ db: Database) throws -> [String] {
        try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid").map { row in
            "\(row["type"] as String) \(row["name"] as String) on \(row["tbl_name"] as String): \(row["sql"] as String? ?? "")"
        }
    }

    /// The generated Swift source for the schema of `db`.
    static func source(_ db: Database) throws -> String {
        let statements = try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid")
        let migrations = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        return """
            // Generated from the migrations by SchemaSnapshotTests (`Scripts/update-docs.sh`); do not edit.

            extension Schema {
                /// The migrations whose result `snapshot` is.
                static let snapshotMigrations: [String] = [
            \(migrations.map { "        \"\($0)\",\n" }.joined())    ]

                /// The statements that create the schema of a database migrated through
                /// `snapshotMigrations`, in the order its objects were created.
                static let snapshot: [String] = [
            \(statements.map { "        #\"\"\"\n\($0)\n\"\"\"#,\n" }.joined())    ]
            }

            """
    }

    @Test func aNewDatabaseGetsTheSchemaTheMigrationsMake() throws {
        let migrated = try DatabaseQueue()
        try Schema.migrator.migrate(migrated)
        if Self.recording {
            try migrated.read { db in try Self.source(db) }.write(to: Self.file, atomically: true, encoding: .utf8)
            return
        }
        #expect(Schema.snapshotMigrations == Schema.migrationNames,
                "SchemaSnapshot.swift is out of date: run Scripts/update-docs.sh")
        let created = try SpotlogDatabase.inMemory()
        let expected = try migrated.read(Self.schema)
        #expect(try created.reader.read(Self.schema) == expected)
        #expect(try created.appliedMigrations() == Schema.migrationNames)
        #expect(try created.reader.read { db in try Row.fetchAll(db, sql: "PRAGMA integrity_check") }.map { $0[0] as String }
                == ["ok"])
    }
}

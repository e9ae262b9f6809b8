import Foundation
import GRDB
import Testing
@testable import SpotlogCore

/// What `SpotlogDatabase.open` does to the file it is given: it never changes or overwrites a
/// file that is not a spotlog database, sets a mode only on files it creates, creates nothing
/// for a command that only reads, and survives several processes creating one database at once.
@Suite struct DatabaseFileTests {
    /// A fresh folder for one test, removed afterwards by the caller.
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("spotlog-file-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func mode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }

    /// The category of the error opening `path` throws, or `nil` when it opens.
    static func failure(opening path: String, _ access: DatabaseAccess = .readWrite) -> SpotlogError.Category? {
        do {
            _ = try SpotlogDatabase.open(path: path, access: access)
            return nil
        } catch let error as SpotlogError {
            return error.category
        } catch {
            return .failure
        }
    }

    @Test func leavesTheModeOfAnExistingDatabaseAlone() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/spotlog.db"
        _ = try SpotlogDatabase.open(path: path)
        #expect(try Self.mode(path) == 0o600)
        for mode in [0o644, 0o444] {
            chmod(path, mode_t(mode))
            _ = try SpotlogDatabase.open(path: path, access: .readOnly)
            #expect(try Self.mode(path) == mode)
        }
    }

    @Test func refusesFilesThatAreNotSQLiteAndLeavesThemUntouched() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let contents: [String: Data] = [
            "notes.txt": Data("a text file, not a database\n".utf8), "one-byte.db": Data("x".utf8),
            "header-only.db": Data("SQLite format".utf8),
        ]
        for (name, data) in contents {
            let path = folder + "/" + name
            try data.write(to: URL(fileURLWithPath: path))
            chmod(path, 0o644)
            #expect(Self.failure(opening: path) == .badInput, "\(name)")
            #expect(Self.failure(opening: path, .readOnly) == .badInput, "\(name)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == data, "\(name) unchanged")
            #expect(try Self.mode(path) == 0o644, "\(name) keeps its mode")
        }
        // Through a symbolic link: the target is refused and left as it was.
        let link = folder + "/link.db"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: folder + "/notes.txt")
        #expect(Self.failure(opening: link) == .badInput)
        #expect(try Self.mode(folder + "/notes.txt") == 0o644)
        #expect(Self.failure(opening: folder) == .configuration, "a directory")
        #expect(Self.failure(opening: "/dev/null") == .configuration, "a device")
        #expect(FileManager.default.fileExists(atPath: folder + "/notes.txt-wal") == false)
    }

    @Test func refusesAnotherProgramsSQLiteDatabase() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/other.db"
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT)") }
        #expect(Self.failure(opening: path) == .badInput)
        let tables = try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master") }
        #expect(tables == ["notes"])
    }

    @Test func aCommandThatOnlyReadsCreatesNothing() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/missing/spotlog.db"
        #expect(Self.failure(opening: path, .readOnly) == .notFound)
        #expect(!FileManager.default.fileExists(atPath: folder + "/missing"))
        FileManager.default.createFile(atPath: folder + "/empty.db", contents: nil)
        #expect(Self.failure(opening: folder + "/empty.db", .readOnly) == .notFound)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/empty.db")).isEmpty)
    }

    @Test func aCommandThatOnlyReadsGetsAReadOnlyConnectionToACurrentDatabaseAndUpgradesAnOldOne() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/spotlog.db"
        _ = try SpotlogDatabase.open(path: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            let reading = try SpotlogDatabase.open(path: path, access: .readOnly)
            #expect(try reading.appliedMigrations() == Schema.migrationNames)
            #expect(throws: DatabaseError.self) {
                try reading.writer.write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT)") }
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "reading wrote nothing")

        let old = folder + "/old.db"
        let queue = try DatabaseQueue(path: old)
        try Schema.migrator.migrate(queue, upTo: "v9_songs_and_artist_aliases")
        try queue.close()
        #expect(try SpotlogDatabase.open(path: old, access: .readOnly).appliedMigrations() == Schema.migrationNames)
    }

    @Test func severalOpenersCreateOneDatabaseTogether() throws {
        for _ in 0..<6 {
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let path = folder + "/new.db"
            let failures = LockedMessages()
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                do {
                    _ = try SpotlogDatabase.open(path: path)
                } catch {
                    failures.append("\(error)")
                }
            }
            #expect(failures.values == [])
            let database = try SpotlogDatabase.open(path: path)
            #expect(try database.appliedMigrations() == Schema.migrationNames)
        }
    }
}

/// Messages several threads add to.
final class LockedMessages: @unchecked Sendable {
    // Safe: `messages` is only read or written while `lock` is held.
    private let lock = NSLock()
    private var messages: [String] = []
    func append(_ message: String) { lock.lock(); messages.append(message); lock.unlock() }
    var values: [String] { lock.lock(); defer { lock.unlock() }; return messages }
}

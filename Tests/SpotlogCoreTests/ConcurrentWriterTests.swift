import Foundation
import GRDB
import Testing
@testable import SpotlogCore

/// Two imports of one user's data into one database file at the same time: whatever another
/// process commits between two of an import's transactions is seen by the next one, so twins
/// are never stored side by side. The interleaving is forced (no sleeps): the second import runs,
/// on its own connection, in the first one's `committed` callback.
@Suite struct ConcurrentWriterTests {
    static let plays = 40

    /// Extended rows: a file of other plays in 2023, then the plays that the account data also has.
    static func extendedFiles() -> [String: String] {
        let earlier = (0..<10).map { Records.track(String(format: "2023-03-01T10:%02d:10Z", $0), uri: "spotify:track:old\($0)") }
        let shared = (0..<plays).map {
            Records.track(String(format: "2024-05-01T%02d:%02d:20Z", 10 + $0 / 60, $0 % 60), uri: "spotify:track:t\($0)",
                          track: "Song \($0)", ms: 100_000 + $0)
        }
        return ["Streaming_History_Audio_2023.json": Records.json(earlier),
                "Streaming_History_Audio_2024.json": Records.json(shared)]
    }

    static func accountFiles(split: Bool) -> [String: String] {
        let rows = (0..<plays).map {
            Records.account(String(format: "2024-05-01 %02d:%02d", 10 + $0 / 60, $0 % 60), track: "Song \($0)", ms: 100_000 + $0)
        }
        guard split else { return ["StreamingHistory_music_0.json": Records.json(rows)] }
        let other = Records.account("2023-01-01 10:00", track: "Elsewhere")
        return ["StreamingHistory_music_0.json": Records.json([other]), "StreamingHistory_music_1.json": Records.json(rows)]
    }

    /// Runs `first` on one connection; after its first commit, `second` runs to the end on
    /// another; then `first` goes on. The plays stored in the end.
    static func interleave(first: [String: String], second: [String: String]) throws -> (plays: Int, consistent: Bool) {
        let fixture = try ExportFixture()
        let path = fixture.root.appendingPathComponent("shared.db").path
        let firstFolder = try fixture.directory(first, named: "first"), secondFolder = try fixture.directory(second, named: "second")
        let database = try SpotlogDatabase.open(path: path)
        let other = try SpotlogDatabase.open(path: path)
        var options = Importer.Options(paths: [firstFolder], userHandle: "listener")
        options.limits.bytesPerCommit = 1
        options.committed = { files in
            guard files == 1 else { return }
            do {
                _ = try Importer(database: other).run(Importer.Options(paths: [secondFolder], userHandle: "listener"))
            } catch {
                Issue.record(error, "the second import failed")
            }
        }
        let report = try Importer(database: database).run(options)
        #expect(report.failedFiles.isEmpty)
        let count = try database.reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM plays") ?? 0 }
        let rollups = try database.reader.read { db in try Int.fetchOne(db, sql: "SELECT sum(plays) FROM play_days") ?? 0 }
        return (count, rollups == count)
    }

    @Test func extendedImportSeesAccountRowsCommittedMeanwhile() throws {
        let outcome = try Self.interleave(first: Self.extendedFiles(), second: Self.accountFiles(split: false))
        #expect(outcome.plays == 10 + Self.plays)
        #expect(outcome.consistent)
    }

    @Test func accountImportSeesExtendedPlaysCommittedMeanwhile() throws {
        let outcome = try Self.interleave(first: Self.accountFiles(split: true), second: Self.extendedFiles())
        #expect(outcome.plays == 10 + Self.plays + 1)
        #expect(outcome.consistent)
    }
}

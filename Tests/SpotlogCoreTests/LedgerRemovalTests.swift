import Foundation
import GRDB
import Testing
@testable import SpotlogCore

/// Removing plays through the ledger: a time range, or a whole user; the rollups stay equal to
/// a rebuild and nobody else's answers change.
@Suite struct LedgerRemovalTests {
    static let now = EpochMillis(iso8601: "2024-07-01T00:00:00Z")!

    /// Two users' histories sharing some tracks.
    static func world() throws -> (ImportHarness, ExportFixture) {
        let harness = try ImportHarness(), fixture = try ExportFixture()
        for (user, offset) in [("alice", 0), ("bob", 3)] {
            let rows = (0..<30).map { index in
                Records.track(String(format: "2024-05-%02dT1%d:%02d:00Z", 1 + index % 20, index % 10, index),
                              uri: "spotify:track:t\(index % 6 + offset)", track: "Song \(index % 6 + offset)",
                              artist: "Artist \(index % 6 + offset)", ms: 40_000 + index)
            }
            let account = [Records.account("2024-06-01 10:00", artist: "Only \(user)", track: "Solo")]
            let folder = try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(rows),
                                                "StreamingHistory_music_0.json": Records.json(account)], named: user)
            try harness.run([folder], user: user)
        }
        return (harness, fixture)
    }

    static func answers(_ harness: ImportHarness, user: Int64) throws -> String {
        let scope = HistoryScope(userID: user, kinds: PlayKind.allCases,
                                 period: PeriodSpec.all.resolve(now: now, zone: TimeZone(identifier: "UTC")!), now: now)
        return try harness.database.reader.read { db in
            "\(try Rankings.rank(.artists, by: .plays, scope: scope, limit: nil, in: db).entries)"
                + "\(try TimeProfile.read(scope, in: db).gridMillis)"
                + "\(try SummaryReports.discoveries(.tracks, scope: scope, limit: 100, in: db))"
        }
    }

    @Test func removingAUserLeavesTheOtherUntouchedAndPrunesTheCatalogue() throws {
        let (harness, _) = try Self.world()
        let users = try UserDirectory(database: harness.database).all()
        let alice = try #require(users.first { $0.name == "alice" }?.id), bob = try #require(users.first { $0.name == "bob" }?.id)
        let before = try Self.answers(harness, user: bob)
        try PlayLedger(database: harness.database).removeUser(alice)
        #expect(try Self.answers(harness, user: bob) == before)
        #expect(try harness.count("SELECT count(*) FROM plays WHERE user_id = \(alice)") == 0)
        #expect(try harness.count("SELECT count(*) FROM users") == 1)
        let bobsImports = try harness.count("SELECT count(*) FROM import_jobs WHERE user_id = \(bob)")
        #expect(try harness.count("SELECT count(*) FROM import_jobs") == bobsImports)
        // Tracks 0-2 and alice's account-only song were hers alone; 3-5 were shared.
        #expect(try harness.count("SELECT count(*) FROM tracks WHERE name IN ('Song 0', 'Song 1', 'Song 2', 'Solo')") == 1)
        #expect(try harness.count("SELECT count(*) FROM artists WHERE name IN ('Artist 0', 'Only alice')") == 0)
        #expect(try harness.count("SELECT count(*) FROM tracks WHERE name = 'Song 3'") == 1)
        #expect(try harness.isConsistent())
        #expect(try harness.rollupsMatchARebuild())
    }

    @Test func removingATimeRangeKeepsTheRollupsExact() throws {
        let (harness, fixture) = try Self.world()
        let bob = try #require(try UserDirectory(database: harness.database).find("bob")?.id)
        let from = EpochMillis(iso8601: "2024-05-05T00:00:00Z")!, to = EpochMillis(iso8601: "2024-05-12T00:00:00Z")!
        let inRange = try harness.count("SELECT count(*) FROM plays WHERE user_id = \(bob) AND played_at >= \(from) AND played_at < \(to)")
        #expect(inRange > 0)
        #expect(try PlayLedger(database: harness.database).removePlays(userID: bob, endedIn: from..<to) == inRange)
        #expect(try harness.count("SELECT count(*) FROM plays WHERE user_id = \(bob) AND played_at >= \(from) AND played_at < \(to)") == 0)
        #expect(try harness.rollupsMatchARebuild())
        // Importing bob's export again brings exactly those plays back.
        let again = try harness.run([fixture.root.appendingPathComponent("bob").path], user: "bob")
        #expect(again.totals.inserted == inRange)
        #expect(try harness.rollupsMatchARebuild())
    }
}

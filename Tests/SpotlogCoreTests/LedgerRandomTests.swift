import Foundation
import GRDB
import Testing
@testable import SpotlogCore

/// Seeded random histories told by all three sources, delivered in random orders and pieces,
/// again and again, with plays removed and delivered anew. After each sequence: every play was
/// stored once, under its richest source; the rollups equal a rebuild; and the history answers
/// from the rollups equal those from the raw plays.
@Suite struct LedgerRandomTests {
    /// A small, seeded generator (SplitMix64), so a failing case can be run again.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    }

    /// One listening: a track, when it ended (ms) and how long it lasted, and which sources tell of it.
    struct Listening {
        let track: Int
        let endedAt: EpochMillis
        let millis: Int
        let extended: Bool, api: Bool, account: Bool
        /// The export's `ts`: up to 3 s before the API's `played_at`, whole seconds.
        let exportedAt: EpochMillis
        /// Whether the extended row lacks the track's URI (names only).
        let nameless: Bool

        var best: PlaySource? { extended ? .extended : api ? .api : account ? .account : nil }
    }

    static let tracks = 6
    static func uri(_ track: Int) -> String { "spotify:track:r\(track)" }
    static func artist(_ track: Int) -> String { "Artist \(track % 3)" }

    /// Listenings over a few hours; plays of one track are at least 150 s apart, so that
    /// each record has one possible twin per source (see `TwinRules`).
    static func listenings(_ random: inout Random) -> [Listening] {
        var result: [Listening] = []
        var lastOfTrack = [EpochMillis](repeating: .min / 2, count: tracks)
        var instant = EpochMillis(iso8601: "2024-05-01T10:00:00Z")!
        for _ in 0..<(8 + random.below(20)) {
            instant += Int64(5_000 + random.below(90_000))
            let track = random.below(tracks)
            guard instant - lastOfTrack[track] >= 150_000 else { continue }
            lastOfTrack[track] = instant
            let millis = [5_000, 29_000, 30_000, 31_000, 120_000, 200_000][random.below(6)]
            var sources = (random.chance(70), random.chance(60), random.chance(50))
            if !sources.0 && !sources.1 && !sources.2 { sources.0 = true }
            let exported = (instant - Int64(random.below(3_001))).floorDivided(by: 1000) * 1000
            result.append(Listening(track: track, endedAt: instant + Int64(random.below(1000)), millis: millis,
                                    extended: sources.0, api: sources.1, account: sources.2, exportedAt: exported,
                                    nameless: random.chance(10)))
        }
        return result
    }

    /// A delivery: one source's records of some listenings.
    enum Delivery {
        case extended([Listening]), account([Listening]), api([Listening])
    }

    static func deliveries(_ listenings: [Listening], _ random: inout Random) -> [Delivery] {
        var pieces: [Delivery] = []
        for source in 0..<3 {
            let told = listenings.filter { [$0.extended, $0.account, $0.api][source] }
            guard !told.isEmpty else { continue }
            let cut = random.below(told.count + 1)
            for part in [Array(told[..<cut]), Array(told[cut...])] where !part.isEmpty {
                pieces.append([Delivery.extended(part), .account(part), .api(part)][source])
            }
        }
        for index in pieces.indices.reversed() {
            pieces.swapAt(index, random.below(index + 1))
        }
        return pieces
    }

    final class World {
        let harness = try! ImportHarness()
        let fixture = try! ExportFixture()
        let ledger: PlayLedger
        let userID: Int64

        init() throws {
            ledger = PlayLedger(database: harness.database)
            userID = try #require(try UserDirectory(database: harness.database).create(name: "listener").id)
        }

        func deliver(_ delivery: Delivery) throws {
            switch delivery {
            case .extended(let listenings):
                let rows = listenings.map { listening in
                    Records.track(UTCFormat.iso8601(listening.exportedAt),
                                  uri: listening.nameless ? nil : LedgerRandomTests.uri(listening.track),
                                  track: "Song \(listening.track)", artist: LedgerRandomTests.artist(listening.track),
                                  album: "Album", ms: listening.millis)
                }
                try importFile("Streaming_History_Audio_2024.json", rows)
            case .account(let listenings):
                let rows = listenings.map { listening in
                    let minute = String(UTCFormat.iso8601(listening.exportedAt).prefix(16)).replacingOccurrences(of: "T", with: " ")
                    return Records.account(minute, artist: LedgerRandomTests.artist(listening.track),
                                           track: "Song \(listening.track)", ms: listening.millis)
                }
                try importFile("StreamingHistory_music_0.json", rows)
            case .api(let listenings):
                let plays = listenings.map { listening in
                    LedgerPlay(kind: .music,
                               item: .init(uri: LedgerRandomTests.uri(listening.track), name: "Song \(listening.track)",
                                           creators: [.init(name: LedgerRandomTests.artist(listening.track),
                                                            uri: "spotify:artist:a\(listening.track % 3)")],
                                           albumName: "Album", albumURI: "spotify:album:x",
                                           durationMillis: Int64(180_000 + listening.track * 1000)),
                               endedAt: listening.endedAt, precision: .millisecond, played: .unknown, source: .api)
                }
                _ = try ledger.record(plays, userID: userID, now: EpochMillis(iso8601: "2024-06-01T00:00:00Z")!)
            }
        }

        private func importFile(_ name: String, _ rows: [[String: Any]]) throws {
            let folder = try fixture.directory([name: Records.json(rows)], named: UUID().uuidString)
            let report = try harness.run([folder], user: "listener")
            #expect(report.failedFiles.isEmpty)
        }

        /// Whether the rollups kept along the way equal those rebuilt from the plays.
        func rollupsMatchARebuild() throws -> Bool {
            let kept = try harness.rollups()
            try harness.database.writer.write { db in try RollupBuilder.rebuild(db) }
            return try harness.rollups() == kept
        }

        func playsBySource() throws -> [PlaySource: Int] {
            let rows = try harness.rows("SELECT source, count(*) AS plays FROM plays GROUP BY source")
            return Dictionary(uniqueKeysWithValues: rows.map { (PlaySource(rawValue: $0["source"])!, $0["plays"] as Int) })
        }
    }

    /// The rollup answers and the raw-plays answers of a few queries, which must be equal.
    static func answersAgree(_ world: World) throws -> Bool {
        let now = EpochMillis(iso8601: "2024-06-01T00:00:00Z")!
        for (period, zone) in [(PeriodSpec.all, "UTC"), (.month(year: 2024, month: 5), "Asia/Kathmandu"),
                               (.dates(from: LocalDate(iso: "2024-05-01"), to: LocalDate(iso: "2024-05-01")), "Europe/Berlin")] {
            let resolved = period.resolve(now: now, zone: TimeZone(identifier: zone)!)
            let fast = HistoryScope(userID: world.userID, minPlayedMillis: 30_000, period: resolved, now: now)
            let slow = HistoryScope(userID: world.userID, minPlayedMillis: 29_999, period: resolved, now: now)
            let agree = try world.harness.database.reader.read { db in
                try Rankings.rank(.tracks, by: .plays, scope: fast, limit: nil, in: db).entries
                    == Rankings.rank(.tracks, by: .plays, scope: slow, limit: nil, in: db).entries
                    && TimeProfile.read(fast, in: db).gridMillis == TimeProfile.read(slow, in: db).gridMillis
                    && SummaryReports.discoveries(.artists, scope: fast, limit: 50, in: db)
                        == SummaryReports.discoveries(.artists, scope: slow, limit: 50, in: db)
            }
            if !agree { return false }
        }
        return true
    }

    /// 200 seeds, in four parts that run side by side.
    @Test(arguments: 0..<4) func randomSequencesStoreEveryPlayOnce(part: Int) throws {
        for seed in UInt64(part * 50 + 1)...UInt64(part * 50 + 50) {
            var random = Random(state: seed)
            let listenings = Self.listenings(&random)
            let world = try World()
            var deliveries = Self.deliveries(listenings, &random)
            // Some pieces arrive twice.
            for _ in 0..<random.below(3) { deliveries.append(deliveries[random.below(deliveries.count)]) }
            for delivery in deliveries { try world.deliver(delivery) }
            #expect(try world.rollupsMatchARebuild(), "seed \(seed)")
            // Some plays are removed; everything is delivered again, in another order.
            if random.chance(40), let first = listenings.first, let last = listenings.last {
                let from = first.endedAt + Int64(random.below(Int(last.endedAt - first.endedAt) + 1))
                try world.ledger.removePlays(userID: world.userID, endedIn: from..<from + 600_000)
                #expect(try world.rollupsMatchARebuild(), "seed \(seed), after removing")
                for delivery in Self.deliveries(listenings, &random) { try world.deliver(delivery) }
            }
            var expected: [PlaySource: Int] = [:]
            for listening in listenings { expected[listening.best!, default: 0] += 1 }
            #expect(try world.playsBySource() == expected, "seed \(seed)")
            #expect(try world.rollupsMatchARebuild(), "seed \(seed)")
            #expect(try Self.answersAgree(world), "seed \(seed)")
        }
    }
}

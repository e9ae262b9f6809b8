import Foundation
import Testing
@testable import SpotlogCore

/// `history forgotten` on a hand-built history with known answers: thresholds, versions, artists,
/// ties, the cut-off in calendar units of the zone, and the raw path for other thresholds.
@Suite struct ForgottenTests {
    func harness() throws -> ImportHarness {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        var rows: [[String: Any]] = []
        func plays(_ count: Int, _ artist: String, _ track: String, from day: String, ms: Int = 200_000) {
            let start = EpochMillis(iso8601: day + "T12:00:00Z")!
            for index in 0..<count {
                rows.append(Records.track((start + Int64(index) * 86_400_000).iso8601,
                                          uri: "spotify:track:" + String(track.unicodeScalars.filter(CharacterSet.alphanumerics.contains)),
                                          track: track, artist: artist, ms: ms))
            }
        }
        plays(12, "Blur", "Tender", from: "2023-01-01")                  // forgotten, 12 + 3 remastered
        plays(3, "Blur", "Tender - 2012 Remaster", from: "2022-01-01")
        plays(15, "Pulp", "Common People", from: "2023-02-01")           // 15: ties with Tender, played later
        plays(10, "Suede", "Animal Nitrate", from: "2024-02-20")         // played within the last month: not forgotten
        plays(5, "Elastica", "Connection", from: "2022-05-01")           // under the threshold
        plays(10, "Elastica", "Waking Up", from: "2022-06-01", ms: 20_000)  // too short to count (under 30 s)
        rows.append(Records.track("2024-02-29T23:30:00Z", uri: "spotify:track:Edge", track: "Edge", artist: "Ash"))
        plays(9, "Ash", "Edge", from: "2023-01-01")                       // 10 with the one above, last on 29 February
        try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": Records.json(rows)])])
        return harness
    }

    func forgotten(_ harness: ImportHarness, _ arguments: [String: JSONValue] = [:], zone: String = "UTC") throws -> [String] {
        let context = ToolContext(database: harness.database, environment: ["SPOTLOG_NOW": "2024-03-31T12:00:00Z"])
        let members = arguments.map { JSONValue.Member($0.key, $0.value) } + [.init("tz", .string(zone))]
        let document = try ToolRegistry.tool(named: "history.forgotten").call(.object(members), context: context)
        guard case .array(let items)? = document["items"] else { return [] }
        return items.map { item in
            if case .string(let name)? = item["name"], case .int(let plays)? = item["plays"] { return "\(name) \(plays)" }
            return "?"
        }
    }

    @Test func favouritesNotPlayedSinceTheCutOffMostPlayedFirst() throws {
        let harness = try harness()
        let found = try forgotten(harness)
        #expect(found == ["Common People 15", "Tender 15"], "\(found)")
        #expect(try forgotten(harness, ["min_plays": 16]) == [])
        #expect(try forgotten(harness, ["versions": true]) == ["Common People 15", "Tender 12"])
        #expect(try forgotten(harness, ["by": "artist"]) == ["Pulp 15", "Blur 15"])
        #expect(try forgotten(harness, ["min_plays": 5, "not_since": "2y"]) == [], "everything was played in the last two years")
    }

    @Test func theCutOffIsInCalendarUnitsOfTheZone() throws {
        let harness = try harness()
        // One month before 2024-03-31: from 2024-03-01. Edge's last play, 2024-02-29T23:30Z, is
        // 1 March 00:30 in Berlin (played since) and 29 February in UTC (before).
        #expect(try forgotten(harness, ["not_since": "1m"], zone: "UTC").contains("Edge 10"))
        #expect(try !forgotten(harness, ["not_since": "1m"], zone: "Europe/Berlin").contains("Edge 10"))
        #expect(try forgotten(harness, ["not_since": "1m"]).contains("Common People 15"))
        #expect(try forgotten(harness, ["not_since": "1m"]).contains("Animal Nitrate 10"), "last played on 29 February")
        #expect(try !forgotten(harness).contains("Animal Nitrate 10"))
    }

    @Test func everyPlayCountsWithoutAThreshold() throws {
        let harness = try harness()
        #expect(try forgotten(harness, ["min_played": "0"]) == ["Common People 15", "Tender 15", "Waking Up 10"])
    }

    @Test func aCutOffMustBeALength() throws {
        let harness = try harness()
        #expect(throws: SpotlogError.usage("'not_since' must be a length such as 90d, 8w, 6m or 2y")) {
            try forgotten(harness, ["not_since": "2024"])
        }
    }
}

import Foundation
import Testing

/// The deeper history commands through the binary, on the bundled sample: `--json` documents,
/// tables, and the exit codes of names that match several things or nothing.
@Suite struct DeeperEndToEndTests {
    func json(_ result: Sandbox.Result) throws -> [String: Any] {
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func documentsAgreeWithTheRankingsAndTheTotals() throws {
        let sandbox = try HistoryEndToEndTests.sandbox()
        let artist = try json(try sandbox.run(["history", "artist", "RADIOHEAD", "--period", "2024", "--json"]))
        let top = try json(try sandbox.run(["history", "top-artists", "--period", "2024", "-n", "1", "--json"]))
        let first = try #require((top["items"] as? [[String: Any]])?.first)
        #expect(artist["name"] as? String == "Radiohead" && artist["rank"] as? Int == 1)
        #expect(artist["plays"] as? Int == first["plays"] as? Int)
        let months = try #require(artist["months"] as? [[String: Any]])
        #expect(months.reduce(0) { $0 + ($1["plays"] as? Int ?? 0) } == artist["plays"] as? Int, "months add up to the period")
        #expect(months.first?["month"] as? String == "2024-01")

        let wrapped = try json(try sandbox.run(["history", "wrapped", "--period", "2024", "--json"]))
        let summary = try json(try sandbox.run(["history", "summary", "--period", "2024", "--json"]))
        #expect(wrapped["plays"] as? Int == summary["plays"] as? Int)
        #expect((wrapped["top_artists"] as? [[String: Any]])?.first?["name"] as? String == "Radiohead")

        let compare = try json(try sandbox.run(["history", "compare", "--period", "2025", "--json"]))
        #expect((compare["vs_period"] as? [String: Any])?["label"] as? String == "2024")
        #expect((compare["vs_totals"] as? [String: Any])?["plays"] as? Int == summary["plays"] as? Int)

        let skips = try json(try sandbox.run(["history", "skips", "--json"]))
        #expect((skips["judged"] as? Int ?? 0) > 0 && (skips["judged"] as? Int ?? 0) < (skips["plays"] as? Int ?? 0),
                "account-data plays say nothing about skips")
        let sessions = try json(try sandbox.run(["history", "sessions", "--gap", "1h", "--json"]))
        #expect(sessions["gap_ms"] as? Int == 3_600_000 && (sessions["sessions"] as? Int ?? 0) > 0)
        #expect((sessions["by_hour"] as? [Int])?.reduce(0, +) == sessions["sessions"] as? Int)

        let table = try sandbox.run(["history", "track", "hoppipolla"])
        #expect(table.status == 0 && table.stdout.contains("Hoppípolla (Sigur Rós)") && table.stdout.contains("longest streak"))
    }

    @Test func namesThatMatchSeveralThingsOrNothingExitWithUsageOrNotFound() throws {
        let sandbox = try HistoryEndToEndTests.sandbox()
        let unknown = try sandbox.run(["history", "artist", "radiohaed"])
        #expect(unknown.status == 66)
        #expect(unknown.stderr == "spotlog: error: no artist named 'radiohaed' in your history; did you mean 'Radiohead'?\n")
        let missing = try sandbox.run(["history", "album"])
        #expect(missing.status == 64 && missing.stderr.contains("NAME"), "\(missing.stderr)")
        let allTime = try sandbox.run(["history", "compare"])
        #expect(allTime.status == 64 && allTime.stderr.contains("give --vs"), "\(allTime.stderr)")
        let badGap = try sandbox.run(["history", "sessions", "--gap", "0s"])
        #expect(badGap.status == 64, "\(badGap.stderr)")
        let wrongArtist = try sandbox.run(["history", "album", "In Rainbows", "--artist", "Björk"])
        #expect(wrongArtist.status == 66, "\(wrongArtist.stderr)")
    }
}

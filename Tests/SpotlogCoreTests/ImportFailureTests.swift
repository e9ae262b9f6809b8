import Foundation
import GRDB
import Testing
@testable import SpotlogCore

/// Bad input gets one clear error naming the file, and leaves no partial rows behind.
@Suite struct ImportFailureTests {
    let good = Records.json([Records.track("2024-05-01T12:00:00Z"), Records.track("2024-05-01T12:05:00Z", uri: "spotify:track:b")])

    /// The error thrown by importing `paths`, checking nothing was written.
    func rejection(_ paths: [String], limits: ImportLimits = ImportLimits()) throws -> SpotlogError? {
        let harness = try ImportHarness()
        defer { #expect((try? harness.count()) == 0, "no plays after a refused import") }
        do {
            try harness.run(paths, limits: limits)
            return nil
        } catch let error as SpotlogError {
            return error
        }
    }

    /// Imports a folder holding one good file and `bad`; returns the bad file's error.
    func badFileAmongGoodOnes(_ bad: String, named name: String = "Streaming_History_Audio_2024_1.json") throws -> String? {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let folder = try fixture.directory(["Streaming_History_Audio_2024_0.json": good, name: bad])
        let report = try harness.run([folder])
        #expect(report.failedFiles.count == 1)
        #expect(report.totals.inserted == 2, "the good file is still imported")
        #expect(try harness.count() == 2, "the bad file left no rows")
        let job = try harness.rows("SELECT status, error FROM import_jobs WHERE file = '\(name)'").first
        #expect(job?["status"] as String? == "error")
        return report.failedFiles.first?.error
    }

    @Test func missingPathIsNotFound() throws {
        let error = try rejection(["/nonexistent/my_spotify_data.zip"])
        #expect(error?.category == .notFound)
        #expect(error?.message == "/nonexistent/my_spotify_data.zip: no such file or directory")
    }

    @Test func aFileThatIsNeitherZipNorHistory() throws {
        let fixture = try ExportFixture()
        let error = try rejection([try fixture.file("notes.txt", Data("hello".utf8))])
        #expect(error?.category == .badInput)
        #expect(error?.message.hasSuffix("notes.txt: neither a ZIP archive nor a Spotify streaming history JSON file") == true)
    }

    @Test func truncatedZip() throws {
        let fixture = try ExportFixture()
        let whole = try Data(contentsOf: URL(fileURLWithPath: try fixture.zip([("Streaming_History_Audio_2024.json", Data(good.utf8))])))
        let error = try rejection([try fixture.file("cut.zip", whole.prefix(whole.count / 2))])
        #expect(error?.category == .badInput)
        #expect(error?.message.hasSuffix("cut.zip: not a valid ZIP archive (truncated or corrupt)") == true)
    }

    @Test func corruptZipEntryFailsThatFile() throws {
        let fixture = try ExportFixture()
        let rows = Records.json((0..<500).map { Records.track("2024-05-01T12:\(String(format: "%02d", $0 % 60)):00Z", ms: $0) })
        var bytes = try Data(contentsOf: URL(fileURLWithPath: try fixture.zip([("Streaming_History_Audio_2024.json", Data(rows.utf8))])))
        for offset in 60..<90 { bytes[offset] ^= 0x5A }  // damage the compressed data, not the directory
        let harness = try ImportHarness()
        let report = try harness.run([try fixture.file("damaged.zip", bytes)])
        #expect(report.failedFiles.count == 1)
        #expect(report.failedFiles.first?.error?.contains("Streaming_History_Audio_2024.json") == true)
        #expect(try harness.count() == 0)
    }

    @Test func entryThatDoesNotMatchItsChecksum() throws {
        let fixture = try ExportFixture()
        let zip = try fixture.zip([("Streaming_History_Audio_2024.json", Data(good.utf8))], compression: .none)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: zip))
        // The entry is stored, so changing one digit keeps valid JSON: only the CRC-32 can tell.
        let digit = try #require(bytes.range(of: Data(#""ms_played":2"#.utf8))).upperBound - 1
        bytes[digit] = UInt8(ascii: "3")
        let harness = try ImportHarness()
        let report = try harness.run([try fixture.file("altered.zip", bytes)])
        #expect(report.failedFiles.first?.error == "Streaming_History_Audio_2024.json: the ZIP entry is corrupt (CRC-32 mismatch)")
        #expect(try harness.count() == 0)
    }

    @Test func zipWithoutHistory() throws {
        let fixture = try ExportFixture()
        let zip = try fixture.zip([("Spotify Account Data/Userdata.json", Data("{}".utf8)), ("ReadMe.pdf", Data("%PDF".utf8))])
        let error = try rejection([zip])
        #expect(error?.category == .badInput)
        #expect(error?.message.contains("no streaming history found") == true)
    }

    @Test func unsafeEntryNames() throws {
        let fixture = try ExportFixture()
        for name in ["../../etc/Streaming_History_Audio_2024.json", "/tmp/Streaming_History_Audio_2024.json"] {
            let zip = try fixture.zip([(name, Data(good.utf8))], named: "evil-\(name.count).zip")
            let error = try rejection([zip])
            #expect(error?.category == .badInput)
            #expect(error?.message.contains("unsafe entry name") == true, "\(name)")
        }
    }

    @Test func zipBombByCompressionRatio() throws {
        let fixture = try ExportFixture()
        let zeros = Data(count: 20_000_000)  // deflates about a thousand-fold
        let zip = try fixture.zip([("Streaming_History_Audio_2024.json", zeros)])
        let error = try rejection([zip])
        #expect(error?.category == .badInput)
        #expect(error?.message.contains("likely ZIP bomb") == true)
    }

    @Test func totalSizeCap() throws {
        let fixture = try ExportFixture()
        var limits = ImportLimits()
        limits.maxTotalBytes = 100
        let error = try rejection([try fixture.directory(["Streaming_History_Audio_2024.json": good])], limits: limits)
        #expect(error?.message.contains("more than the 100 bytes spotlog accepts") == true)
    }

    @Test func recordCap() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        var limits = ImportLimits()
        limits.maxRecords = 1
        let report = try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": good])], limits: limits)
        #expect(report.failedFiles.first?.error?.contains("more than 1 records") == true)
        #expect(try harness.count() == 0)
    }

    @Test func invalidJSON() throws {
        let error = try badFileAmongGoodOnes("[{\"ts\": \"2024-05-01T12:00:00Z\", \"ms_played\": 1,,}]")
        #expect(error == "Streaming_History_Audio_2024_1.json: invalid JSON at byte 47: expected a quoted key in a record")
    }

    @Test func truncatedJSON() throws {
        let truncated = String(good.prefix(good.count - 40))
        let error = try badFileAmongGoodOnes(truncated)
        #expect(error?.contains("unexpected end of file (truncated?)") == true)
    }

    @Test func notAnArrayOfObjects() throws {
        #expect(try badFileAmongGoodOnes("{\"ts\": \"x\"}")?.contains("expected an array of records, found an object") == true)
        #expect(try badFileAmongGoodOnes("[\"a\", \"b\"]")?.contains("expected a record (a JSON object)") == true)
    }

    @Test func wrongFieldTypes() throws {
        let row = Records.json([Records.track("2024-05-01T12:00:00Z", extra: ["ms_played": "lots"])])
        #expect(try badFileAmongGoodOnes(row) == "Streaming_History_Audio_2024_1.json: record at byte 1: field 'ms_played' "
                + "should be a number, not a string")
        let badBool = Records.json([Records.track("2024-05-01T12:00:00Z", extra: ["shuffle": "yes"])])
        #expect(try badFileAmongGoodOnes(badBool)?.contains("field 'shuffle' should be true, false or null, not a string") == true)
        let badName = Records.json([Records.track("2024-05-01T12:00:00Z", extra: ["master_metadata_track_name": 42])])
        #expect(try badFileAmongGoodOnes(badName)?.contains("should be a string, not a number") == true)
    }

    @Test func invalidUTF8() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        var bytes = Data("[{\"ts\": \"2024-05-01T12:00:00Z\", \"master_metadata_track_name\": \"Bj".utf8)
        bytes.append(contentsOf: [0xF6, 0x72, 0x6B])  // Latin-1 "ö", not UTF-8
        bytes.append(Data("\", \"ms_played\": 1}]".utf8))
        let folder = try fixture.directory(["Streaming_History_Audio_2024_0.json": good])
        try bytes.write(to: URL(fileURLWithPath: folder).appendingPathComponent("Streaming_History_Audio_2024_1.json"))
        let report = try harness.run([folder])
        #expect(report.failedFiles.first?.error?.contains("invalid UTF-8 in a string") == true)
        #expect(try harness.count() == 2)
    }

    @Test func itemsFirstMetInAFailedFileAreStoredWhenALaterFileHasThem() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let later = Records.track("2024-05-02T12:00:00Z", uri: "spotify:track:later", track: "Later Song",
                                  extra: ["platform": "ios"])
        // The failing file breaks after a full batch, so the writer has stored the track before
        // the file is rolled back.
        let filler = Records.json([Records.track("2024-05-02T12:05:00Z")]).dropFirst().dropLast()
        let failing = "[" + String(Records.json([later]).dropFirst().dropLast()) + ","
            + Array(repeating: String(filler), count: 2100).joined(separator: ",") + ", {\"ts\": "
        let folder = try fixture.directory([
            "Streaming_History_Audio_2024_0.json": good, "Streaming_History_Audio_2024_1.json": failing,
            "Streaming_History_Audio_2024_2.json": Records.json([later]),
        ])
        // One parse thread reads all three files, so the last file's record is not that
        // thread's first sighting of the track or of its context: the writer must still find
        // both again after the failed file's rows were rolled back.
        var options = Importer.Options(paths: [folder])
        options.workers = 1
        let report = try Importer(database: harness.database).run(options)
        #expect(report.failedFiles.map(\.name) == ["Streaming_History_Audio_2024_1.json"])
        #expect(report.totals.inserted == 3)
        let stored = try harness.rows("""
            SELECT t.name, t.match_key, t.search_text, d.platform FROM play_details d JOIN tracks t ON t.id = d.item_id
            WHERE t.uri = 'spotify:track:later'
            """)
        #expect(stored.count == 1)
        #expect(stored.first?["name"] as String? == "Later Song")
        #expect(stored.first?["match_key"] as String? == "artist|later song")
        #expect(stored.first?["search_text"] as String? != "")
        #expect(stored.first?["platform"] as String? == "ios")
    }

    @Test func unparseableTimestampSkipsOnlyThatRow() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let rows = Records.json([Records.track("yesterday"), Records.track("2024-05-01T12:00:00Z")])
        let report = try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": rows])])
        #expect(report.failedFiles.isEmpty)
        #expect(report.totals.skipped == [.invalidTimestamp: 1])
        #expect(report.totals.inserted == 1)
    }
}

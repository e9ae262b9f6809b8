import Foundation
import Testing
@testable import SpotlogCore

@Suite struct FlatRecordParserTests {
    /// Parses `json` fed in chunks of `chunkSize` bytes; returns each record's `ts` and track name.
    func parse(_ json: String, chunkSize: Int = 1 << 20) throws -> [(ts: String?, track: String?)] {
        let parser = FlatRecordParser()
        var seen: [(String?, String?)] = []
        let bytes = Array(json.utf8)
        var offset = 0
        repeat {
            let end = min(offset + chunkSize, bytes.count)
            try bytes[offset..<end].withUnsafeBytes { chunk in
                try parser.feed(chunk) { record in
                    func text(_ field: RecordField) -> String? {
                        guard let value = record.value(field), value.kind == .string else { return nil }
                        let raw = record.bytes(value)
                        return value.escaped ? JSONUnescape.unescape(raw).map { String(decoding: $0, as: UTF8.self) }
                            : String(decoding: raw, as: UTF8.self)
                    }
                    seen.append((text(.ts), text(.trackName)))
                }
            }
            offset = end
        } while offset < bytes.count
        try parser.finish()
        return seen
    }

    func failure(_ json: String, chunkSize: Int = 1 << 20) -> JSONFormatError? {
        do {
            _ = try parse(json, chunkSize: chunkSize)
            return nil
        } catch let error as JSONFormatError {
            return error
        } catch {
            return nil
        }
    }

    let sample = """
        [
          {"ts": "2024-01-01T10:00:00Z", "master_metadata_track_name": "Jóga", "ms_played": 1000, "nested": {"a": [1, "}"]}},
          {"ts": "2024-01-02T10:00:00Z", "master_metadata_track_name": "Say \\"hi\\" \\u00e9\\ud83c\\udfb5", "shuffle": true},
          {"master_metadata_track_name": null, "ts": "x"}
        ]
        """

    @Test func readsRecordsWholeAndInEveryChunking() throws {
        let whole = try parse(sample)
        #expect(whole.count == 3)
        #expect(whole[0].ts == "2024-01-01T10:00:00Z")
        #expect(whole[0].track == "Jóga")
        #expect(whole[1].track == "Say \"hi\" é🎵")
        #expect(whole[2].track == nil)
        for size in [1, 2, 3, 7, 64] {
            let chunked = try parse(sample, chunkSize: size)
            #expect(chunked.map(\.ts) == whole.map(\.ts), "chunk size \(size)")
            #expect(chunked.map(\.track) == whole.map(\.track), "chunk size \(size)")
        }
    }

    /// Records of growing length (up to twice the parser's 16 KiB join size), so chunks of every
    /// size below end inside records, between them, and inside the parser's first copy.
    @Test func readsLongFilesInPlaceAcrossChunkBoundaries() throws {
        let records = (0..<400).map { index in
            #"{"ts": "t\#(index)", "master_metadata_track_name": "\#(String(repeating: "x", count: index * index / 5))"}"#
        }
        let json = "[\n" + records.joined(separator: ",\n") + "\n]"
        let whole = try parse(json)
        #expect(whole.count == 400)
        #expect(whole.map(\.track?.count) == (0..<400).map { $0 * $0 / 5 })
        for size in [1000, 5000, 16 * 1024, 20_000, 70_000] {
            let chunked = try parse(json, chunkSize: size)
            #expect(chunked.map(\.ts) == whole.map(\.ts), "chunk size \(size)")
            #expect(chunked.map(\.track) == whole.map(\.track), "chunk size \(size)")
        }
        let broken = json.replacingOccurrences(of: #""ts": "t399""#, with: #""ts" "t399""#)
        let offsets = [1000, 20_000, 1 << 20].map { failure(broken, chunkSize: $0)?.offset }
        #expect(offsets.allSatisfy { $0 != nil && $0 == offsets[0] })
    }

    /// Keys are predicted from the record before; a different key in the same place (even of
    /// the same length) must still be read as itself.
    @Test func keysThatChangeBetweenRecordsAreReadAsThemselves() throws {
        let json = #"""
            [{"ts": "a", "master_metadata_track_name": "x"},
             {"tz": "b", "master_metadata_track_name": "y"},
             {"ts": "c", "\u0074s": "d"},
             {"master_metadata_track_name": "z", "ts": "e"},
             {"ts": "f"}]
            """#
        for size in [1, 5, 1 << 20] {
            let records = try parse(json, chunkSize: size)
            #expect(records.map(\.ts) == ["a", nil, "c", "e", "f"], "chunk size \(size)")
            #expect(records.map(\.track) == ["x", "y", nil, "z", nil], "chunk size \(size)")
        }
    }

    @Test func layoutThatChangesBetweenRecordsIsReadTheSame() throws {
        let json = """
            [
              {
                "ts": "a",
                "master_metadata_track_name": "x"
              },
              {"ts":  "b","master_metadata_track_name" :"y"},
              {
                "ts": "c",
                "master_metadata_track_name":	"z"
              },
              {
                "ts": "d",
                "master_metadata_track_name": "w"
              }
            ]
            """
        for size in [1, 7, 1 << 20] {
            let records = try parse(json, chunkSize: size)
            #expect(records.map(\.ts) == ["a", "b", "c", "d"], "chunk size \(size)")
            #expect(records.map(\.track) == ["x", "y", "z", "w"], "chunk size \(size)")
        }
        // A record laid out like the one before it, up to a missing colon.
        let broken = failure(#"[{"ts": "a", "master_metadata_track_name": "x"}, {"ts": "b", "master_metadata_track_name" "y"}]"#)
        #expect(broken?.message == "expected ':' after a key")
        #expect(broken?.offset == 90)
    }

    @Test func byteComparisonSeesADifferenceAtAnyPositionOfAnyLength() {
        let left = (0..<40).map { UInt8($0 + 65) }
        for count in 0...left.count {
            #expect(ByteScan.equal(left, left, count) && ByteScan.equalRun(left, left, count))
            for position in 0..<count {
                var right = left
                right[position] ^= 0x20
                #expect(!ByteScan.equal(left, right, count), "length \(count), difference at \(position)")
                #expect(!ByteScan.equalRun(left, right, count), "length \(count), difference at \(position)")
            }
        }
    }

    @Test func emptyArrayHasNoRecords() throws {
        #expect(try parse("[]").isEmpty)
        #expect(try parse("  [\n ]\n").isEmpty)
    }

    @Test func rejectsWhatIsNotAnArrayOfObjects() {
        #expect(failure("{\"ts\": 1}")?.message == "expected an array of records, found an object")
        #expect(failure("[1, 2]")?.message == "expected a record (a JSON object) in the array")
        #expect(failure("\"text\"")?.message == "expected '[' at the start of the file")
        #expect(failure("")?.message == "the file is empty")
    }

    @Test func rejectsBrokenJSONWithItsOffset() {
        let truncated = failure("[{\"ts\": \"2024-01-01T10:00:00Z\"")
        #expect(truncated?.message == "unexpected end of file (truncated?)")
        let missingComma = failure("[{\"ts\": \"a\"} {\"ts\": \"b\"}]")
        #expect(missingComma?.message == "expected ',' or ']' between records")
        #expect(missingComma?.offset == 13)
        #expect(failure("[{\"ts\" \"a\"}]")?.message == "expected ':' after a key")
        #expect(failure("[{\"ts\": tru}]")?.message == "invalid literal")
        #expect(failure("[{\"ts\": \"a\"}] trailing")?.message == "unexpected data after the closing ']'")
        #expect(failure("[{\"ts\": \"a\nb\"}]")?.message == "control character in a string")
    }

    @Test func rejectsInvalidUTF8() throws {
        var bytes = Array("[{\"master_metadata_track_name\": \"ab".utf8)
        bytes += [0xC3, 0x28]  // a lead byte followed by a non-continuation byte
        bytes += Array("\"}]".utf8)
        let parser = FlatRecordParser()
        #expect(throws: JSONFormatError.self) {
            try bytes.withUnsafeBytes { try parser.feed($0) { _ in } }
        }
        #expect(UTF8Check.isValid(Array("Sigur Rós 坂本龍一 🎵".utf8), count: "Sigur Rós 坂本龍一 🎵".utf8.count))
        #expect(!UTF8Check.isValid([0xED, 0xA0, 0x80], count: 3), "a UTF-16 surrogate is not valid UTF-8")
        #expect(!UTF8Check.isValid([0xC0, 0xAF], count: 2), "an overlong encoding is not valid UTF-8")
    }
}

extension UTF8Check {
    static func isValid(_ bytes: [UInt8], count: Int) -> Bool {
        bytes.withUnsafeBufferPointer { isValid($0.baseAddress!, count: count) }
    }
}

@Suite struct TimestampParserTests {
    func iso(_ text: String) -> Int64? { Array(text.utf8).withUnsafeBufferPointer { TimestampParser.iso8601($0) } }
    func account(_ text: String) -> Int64? { Array(text.utf8).withUnsafeBufferPointer { TimestampParser.accountEndTime($0) } }

    @Test func parsesExtendedTimestamps() {
        #expect(iso("1970-01-01T00:00:00Z") == 0)
        #expect(iso("2024-02-29T23:59:59Z") == 1_709_251_199_000)
        #expect(iso("2024-02-29T23:59:59.250Z") == 1_709_251_199_250)
        #expect(iso("2024-03-01T01:59:59+02:00") == 1_709_251_199_000)
        #expect(iso("2024-02-29T21:29:59-0230") == 1_709_251_199_000)
    }

    @Test func rejectsBadTimestamps() {
        for bad in ["2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01 00:00:00Z", "2024-01-01T24:00:00Z",
                    "2024-01-01T00:00:00", "not a time", "2024-01-01T00:00:00Zjunk", ""] {
            #expect(iso(bad) == nil, "\(bad)")
        }
    }

    @Test func parsesAccountEndTimes() {
        #expect(account("2024-02-29 23:59") == 1_709_251_140_000)
        #expect(account("2024-02-29 23:59:30") == 1_709_251_170_000)
        #expect(account("2024-02-30 10:00") == nil)
        #expect(account("2024-02-29T23:59") == nil)
    }
}

/// A record whose field has the wrong JSON type: the file is malformed.
struct RecordTypeError: ImportFlowError {
    let offset: Int64
    let message: String
}

/// Turns raw records of one history file into `PlayRecord`s in a batch: checks field types,
/// parses timestamps, decides the kind, derives local ids and match keys.
struct RecordNormalizer {
    let family: HistoryFormat.Family
    let sightings: Sightings
    let plausible: PlausiblePlay
    private let previous = RepeatDetector()

    /// Normalises `record` into `batch` (or counts it as skipped).
    func normalise(_ record: RawRecord, into batch: RecordBatch) throws {
        batch.recordsRead += 1
        let reader = FieldReader(record: record, batch: batch)
        switch family {
        case .extended: try extended(reader, batch)
        case .account: try account(reader, batch)
        }
    }

    private func extended(_ reader: FieldReader, _ batch: RecordBatch) throws {
        guard let endedAt = try reader.timestamp(.ts, TimestampParser.iso8601) else {
            return skip(.invalidTimestamp, batch)
        }
        guard let msPlayed = try reader.milliseconds(.msPlayedExtended) else { return skip(.invalidMsPlayed, batch) }
        if let reason = plausible.rejection(endedAt: endedAt, msPlayed: msPlayed) { return skip(reason, batch) }
        let trackURI = try reader.text(.trackURI), trackName = try reader.text(.trackName)
        let episodeURI = try reader.text(.episodeURI), episodeName = try reader.text(.episodeName)
        let chapterURI = try reader.text(.audiobookChapterURI), chapterTitle = try reader.text(.audiobookChapterTitle)
        var play: PlayRecord
        if !trackURI.isNull || !trackName.isNull {
            play = PlayRecord(kind: .music, source: .extended, endedAt: endedAt, msPlayed: msPlayed)
            play.itemName = trackName
            play.creatorName = try reader.text(.albumArtistName)
            play.albumName = try reader.text(.albumName)
            play.itemURI = trackURI.isNull
                ? reader.localURI([play.creatorName, play.itemName, play.albumName]) : trackURI
        } else if !episodeURI.isNull || !episodeName.isNull {
            play = PlayRecord(kind: .podcast, source: .extended, endedAt: endedAt, msPlayed: msPlayed)
            play.itemName = episodeName
            play.creatorName = try reader.text(.episodeShowName)
            play.itemURI = episodeURI.isNull ? reader.localURI([play.creatorName, play.itemName, .null]) : episodeURI
        } else if !chapterURI.isNull || !chapterTitle.isNull {
            play = PlayRecord(kind: .audiobook, source: .extended, endedAt: endedAt, msPlayed: msPlayed)
            play.itemName = chapterTitle
            play.creatorName = try reader.text(.audiobookTitle)
            play.creatorURI = try reader.text(.audiobookURI)
            play.itemURI = chapterURI.isNull ? reader.localURI([play.creatorName, play.itemName, .null]) : chapterURI
        } else {
            return skip(.unidentifiable, batch)
        }
        play.context = try reader.contextKey()
        if !play.context.isNull { play.contextNumber = reader.batch.withBytes(play.context, sightings.context) }
        play.flags.set(.shuffle, try reader.flag(.shuffle))
        play.flags.set(.skipped, try reader.flag(.skipped))
        play.flags.set(.offline, try reader.flag(.offline))
        play.flags.set(.incognito, try reader.flag(.incognitoMode))
        if let offline = try reader.integer(.offlineTimestamp), offline > 0 {
            // Old endsong files count milliseconds, newer files seconds: no play predates 1973 in ms.
            play.offlineTimestamp = offline >= 100_000_000_000 ? offline : offline * 1000
        }
        store(play, reader)
    }

    private func account(_ reader: FieldReader, _ batch: RecordBatch) throws {
        guard let endedAt = try reader.timestamp(.endTime, TimestampParser.accountEndTime) else {
            return skip(.invalidTimestamp, batch)
        }
        guard let msPlayed = try reader.milliseconds(.msPlayedAccount) else { return skip(.invalidMsPlayed, batch) }
        if let reason = plausible.rejection(endedAt: endedAt, msPlayed: msPlayed) { return skip(reason, batch) }
        let trackName = try reader.text(.accountTrackName), episodeName = try reader.text(.accountEpisodeName)
        let chapterName = try reader.text(.chapterName)
        var play: PlayRecord
        if !trackName.isNull {
            play = PlayRecord(kind: .music, source: .account, endedAt: endedAt, msPlayed: msPlayed)
            play.itemName = trackName
            play.creatorName = try reader.text(.artistName)
        } else if !episodeName.isNull {
            play = PlayRecord(kind: .podcast, source: .account, endedAt: endedAt, msPlayed: msPlayed)
            play.itemName = episodeName
            play.creatorName = try reader.text(.podcastName)
        } else if !chapterName.isNull {
            play = PlayRecord(kind: .audiobook, source: .account, endedAt: endedAt, msPlayed: msPlayed)
            play.itemName = chapterName
            play.creatorName = try reader.text(.audiobookName)
            play.author = try reader.text(.authorName)
        } else {
            return skip(.unidentifiable, batch)
        }
        play.itemURI = reader.localURI([play.creatorName, play.itemName, .null])
        play.matchKey = reader.matchKey(creator: play.creatorName, item: play.itemName)
        store(play, reader)
    }

    private func skip(_ reason: SkipReason, _ batch: RecordBatch) {
        batch.skipped[reason, default: 0] += 1
    }

    private func store(_ play: PlayRecord, _ reader: FieldReader) {
        let batch = reader.batch
        var play = play
        if play.source != .account {
            play.repeatsPrevious = batch.withBytes(play.itemURI) {
                previous.repeatsPrevious(play.kind, endedAt: play.endedAt, msPlayed: play.msPlayed, uri: $0)
            }
        }
        let sighting = batch.withBytes(play.itemURI) { sightings.item(play.kind, uri: $0) }
        play.itemNumber = sighting.number
        if sighting.first {
            if play.matchKey.isNull {
                play.matchKey = reader.matchKey(creator: play.creatorName, item: play.itemName)
            }
            if play.kind == .music && !play.albumName.isNull {
                play.albumURI = reader.localURI([play.creatorName, play.albumName])
            }
            let parts = [play.itemName, play.creatorName, play.albumName].map(batch.string)
            play.searchText = batch.append(Array(IdentityKey.searchText(parts).utf8))
        }
        batch.records.append(play)
        batch.earliest = min(batch.earliest ?? play.endedAt, play.endedAt)
        batch.latest = max(batch.latest ?? play.endedAt, play.endedAt)
    }
}

/// Typed access to one raw record's fields, copying strings (unescaped) into the batch arena.
private struct FieldReader {
    let record: RawRecord
    let batch: RecordBatch

    private func typeError(_ field: RecordField, expected: String, found: RawValue.Kind) -> RecordTypeError {
        let names: [RawValue.Kind: String] = [.string: "a string", .number: "a number", .boolean: "a boolean",
                                              .null: "null", .nested: "an object or array"]
        return RecordTypeError(offset: record.offset,
                               message: "field '\(field.key)' should be \(expected), not \(names[found] ?? "that")")
    }

    /// A string field; null, absent and empty strings are `.null`.
    func text(_ field: RecordField) throws -> ArenaSlice {
        guard let value = record.value(field), value.kind != .null else { return .null }
        guard value.kind == .string else { throw typeError(field, expected: "a string", found: value.kind) }
        guard value.count > 0 else { return .null }
        let bytes = record.bytes(value)
        if !value.escaped { return batch.append(bytes) }
        guard let unescaped = JSONUnescape.unescape(bytes) else {
            throw RecordTypeError(offset: record.offset, message: "invalid escape in field '\(field.key)'")
        }
        return batch.append(unescaped)
    }

    /// The play's `PlayContextKey`, written straight into the arena; null when nothing is known.
    func contextKey() throws -> ArenaSlice {
        let start = batch.arena.count
        var known = false
        for field in PlayContextKey.fields {
            let lengthAt = batch.arena.reserve(PlayContextKey.lengthSize)
            let part = try text(field)
            let length = part.isNull ? 0 : Int(part.count)
            PlayContextKey.storeLength(length, at: batch.arena.base + lengthAt)
            known = known || length > 0
        }
        guard known else {
            batch.arena.truncate(to: start)
            return .null
        }
        return ArenaSlice(offset: Int32(start), count: Int32(batch.arena.count - start))
    }

    /// A whole number; `nil` when absent or null.
    func integer(_ field: RecordField) throws -> Int64? {
        guard let value = record.value(field), value.kind != .null else { return nil }
        guard value.kind == .number else { throw typeError(field, expected: "a number", found: value.kind) }
        let bytes = record.bytes(value)
        if let whole = Self.wholeNumber(bytes) { return whole }
        guard let real = Double(String(decoding: bytes, as: UTF8.self)), real.isFinite,
              abs(real) < 9e15 else {
            throw RecordTypeError(offset: record.offset, message: "field '\(field.key)' is not a valid number")
        }
        return Int64(real.rounded())
    }

    /// Plain decimal digits (at most 18, optionally negative) as a number; `nil` for anything
    /// else, which the slower general path then reads.
    @inline(__always)
    private static func wholeNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        let negative = bytes.first == UInt8(ascii: "-")
        let digits = negative ? UnsafeBufferPointer(rebasing: bytes.dropFirst()) : bytes
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in digits {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return negative ? -value : value
    }

    /// Milliseconds played: absent or null count as 0; `nil` when negative.
    func milliseconds(_ field: RecordField) throws -> Int64? {
        let value = try integer(field) ?? 0
        return value < 0 ? nil : value
    }

    /// A timestamp parsed with `parse`; `nil` when absent, null or unparseable.
    func timestamp(_ field: RecordField, _ parse: (UnsafeBufferPointer<UInt8>) -> Int64?) throws -> Int64? {
        guard let value = record.value(field), value.kind != .null else { return nil }
        guard value.kind == .string else { throw typeError(field, expected: "a string", found: value.kind) }
        return parse(record.bytes(value))
    }

    /// A boolean as -1 (unknown), 0 or 1; numbers 0 and 1 are accepted as booleans.
    func flag(_ field: RecordField) throws -> Int8 {
        guard let value = record.value(field), value.kind != .null else { return -1 }
        switch value.kind {
        case .boolean: return value.boolean ? 1 : 0
        case .number where value.count == 1 && (record.base[value.start] == UInt8(ascii: "0")
                                                || record.base[value.start] == UInt8(ascii: "1")):
            return record.base[value.start] == UInt8(ascii: "1") ? 1 : 0
        default: throw typeError(field, expected: "true, false or null", found: value.kind)
        }
    }

    /// `local:<sha1>` of the normalised parts (null parts count as empty).
    func localURI(_ parts: [ArenaSlice]) -> ArenaSlice {
        let normalised = parts.map { slice in
            slice.isNull ? [] : batch.withBytes(slice) { IdentityKey.normalise($0) }
        }
        return batch.append(IdentityKey.localURI(normalised))
    }

    /// The normalised "creator|item" key.
    func matchKey(creator: ArenaSlice, item: ArenaSlice) -> ArenaSlice {
        var key = creator.isNull ? [] : batch.withBytes(creator) { IdentityKey.normalise($0) }
        key.append(UInt8(ascii: "|"))
        key += item.isNull ? [] : batch.withBytes(item) { IdentityKey.normalise($0) }
        return batch.append(key)
    }
}

/// Decodes JSON string escapes (`\n`, `\"`, `\u00e9`, surrogate pairs).
enum JSONUnescape {
    static func unescape(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for byte in bytes[at..<at + 4] {
                guard let digit = hexDigit(byte) else { return nil }
                value = value << 4 | digit
            }
            return value
        }
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else { output.append(byte); index += 1; continue }
            guard index + 1 < bytes.count else { return nil }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(index) else { return nil }
                index += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
                          bytes[index + 1] == UInt8(ascii: "u"), let low = hex4(index + 2),
                          (0xDC00...0xDFFF).contains(low) else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                guard let unicode = Unicode.Scalar(scalar) else { return nil }
                output.append(contentsOf: Array(String(Character(unicode)).utf8))
            default: return nil
            }
        }
        return output
    }

    private static func hexDigit(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}

/// A streaming parser for Spotify's history files: one JSON array of flat objects.
///
/// Bytes arrive in chunks of any size; every complete object is handed to the callback as soon
/// as it has been read, so memory holds one chunk plus one partial object, never the file.
/// Nested values are skipped (and reported as `.nested`). Strings are checked to be valid UTF-8.
final class FlatRecordParser {
    private enum Position { case beforeArray, firstElement, nextElement, afterArray }

    private var buffer: [UInt8] = []
    private var consumedBytes: Int64 = 0
    private var position = Position.beforeArray
    private var record: RawRecord
    private let keys = KeyPredictor()

    init() {
        let count = RecordField.allCases.count
        let values = UnsafeMutablePointer<RawValue>.allocate(capacity: count)
        values.initialize(repeating: RawValue(), count: count)
        let seen = UnsafeMutablePointer<UInt32>.allocate(capacity: count)
        seen.initialize(repeating: 0, count: count)
        record = RawRecord(base: UnsafePointer(bitPattern: 1)!, values: values, seen: seen)
    }

    deinit {
        record.values.deallocate()
        record.seen.deallocate()
    }

    /// Bytes of a new chunk copied at first to complete a record the last chunk left unfinished.
    private static let joinSize = 16 * 1024

    /// Parses what `chunk` completes, calling `handler` for each object.
    ///
    /// Records are parsed in place in the chunk; only a record that straddles two chunks is
    /// copied, with as little of the new chunk as it needs.
    func feed(_ chunk: UnsafeRawBufferPointer, _ handler: (RawRecord) throws -> Void) throws {
        let bytes = chunk.bindMemory(to: UInt8.self)
        var start = 0
        while !buffer.isEmpty && start < bytes.count {
            let pending = buffer.count
            let take = min(bytes.count - start, max(Self.joinSize, pending))
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<start + take]))
            start += take
            let used = try buffer.withUnsafeBufferPointer { try parse($0, handler) }
            consumedBytes += Int64(used)
            if used >= pending {
                // The unfinished record is done; what follows it is parsed from the chunk.
                start -= buffer.count - used
                buffer.removeAll(keepingCapacity: true)
            } else {
                buffer.removeSubrange(0..<used)
            }
        }
        guard start < bytes.count else { return }
        let rest = UnsafeBufferPointer(rebasing: bytes[start...])
        let used = try parse(rest, handler)
        consumedBytes += Int64(used)
        buffer.append(contentsOf: rest[used...])
    }

    /// Checks that the array was closed and nothing but white space follows it.
    func finish() throws {
        let rest = buffer.drop { Self.isWhitespace($0) }
        if position != .afterArray || !rest.isEmpty {
            if position == .afterArray {
                throw JSONFormatError(offset: consumedBytes, message: "unexpected data after the closing ']'")
            }
            if position == .beforeArray && buffer.allSatisfy(Self.isWhitespace) {
                throw JSONFormatError(offset: consumedBytes, message: "the file is empty")
            }
            throw JSONFormatError(offset: consumedBytes + Int64(buffer.count), message: "unexpected end of file (truncated?)")
        }
    }

    @inline(__always)
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte <= 0x20 && (byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09)
    }

    /// Parses as far as the buffer allows; returns how many bytes are fully consumed.
    private func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ handler: (RawRecord) throws -> Void) throws -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let end = bytes.count
        var index = 0
        func fail(_ at: Int, _ message: String) -> JSONFormatError {
            JSONFormatError(offset: consumedBytes + Int64(at), message: message)
        }
        while true {
            while index < end && Self.isWhitespace(base[index]) { index += 1 }
            guard index < end else { return index }
            let byte = base[index]
            switch position {
            case .beforeArray:
                guard byte == UInt8(ascii: "[") else {
                    throw fail(index, byte == UInt8(ascii: "{") ? "expected an array of records, found an object"
                               : "expected '[' at the start of the file")
                }
                index += 1
                position = .firstElement
            case .afterArray:
                throw fail(index, "unexpected data after the closing ']'")
            case .firstElement, .nextElement:
                if byte == UInt8(ascii: "]") {
                    index += 1
                    position = .afterArray
                    continue
                }
                var elementStart = index
                if position == .nextElement {
                    guard byte == UInt8(ascii: ",") else { throw fail(index, "expected ',' or ']' between records") }
                    elementStart += 1
                    while elementStart < end && Self.isWhitespace(base[elementStart]) { elementStart += 1 }
                    guard elementStart < end else { return index }
                }
                guard base[elementStart] == UInt8(ascii: "{") else {
                    throw fail(elementStart, "expected a record (a JSON object) in the array")
                }
                record.base = base
                record.generation &+= 1
                record.offset = consumedBytes + Int64(elementStart)
                guard let next = try parseObject(base, from: elementStart, end: end, fail) else { return index }
                try handler(record)
                index = next
                position = .nextElement
            }
        }
    }

    /// Parses the object at `start`; `nil` when the buffer ends before it does.
    private func parseObject(_ base: UnsafePointer<UInt8>, from start: Int, end: Int,
                             _ fail: (Int, String) -> JSONFormatError) throws -> Int? {
        var index = start + 1
        var keyPosition = 0
        while true {
            let field: Int
            if let predicted = keys.predict(position: keyPosition, base: base, index: index, end: end) {
                // The same bytes as a run already checked, up to the value.
                field = predicted.field
                index = predicted.next
                while index < end && Self.isWhitespace(base[index]) { index += 1 }
                guard index < end else { return nil }
            } else {
                let runStart = index
                while index < end && Self.isWhitespace(base[index]) { index += 1 }
                guard index < end else { return nil }
                if base[index] == UInt8(ascii: "}") { return index + 1 }
                if keyPosition > 0 {
                    guard base[index] == UInt8(ascii: ",") else { throw fail(index, "expected ',' or '}' in a record") }
                    index += 1
                    while index < end && Self.isWhitespace(base[index]) { index += 1 }
                    guard index < end else { return nil }
                }
                guard base[index] == UInt8(ascii: "\"") else { throw fail(index, "expected a quoted key in a record") }
                guard let key = try scanString(base, from: index, end: end, fail) else { return nil }
                let match = key.escaped ? nil : RecordField.match(base + index + 1, count: key.next - index - 2)
                field = match?.rawValue ?? -1
                index = key.next
                while index < end && Self.isWhitespace(base[index]) { index += 1 }
                guard index < end else { return nil }
                guard base[index] == UInt8(ascii: ":") else { throw fail(index, "expected ':' after a key") }
                index += 1
                while index < end && Self.isWhitespace(base[index]) { index += 1 }
                guard index < end else { return nil }
                keys.learn(position: keyPosition, start: base + runStart, length: index - runStart, escaped: key.escaped,
                           field: match)
            }
            keyPosition += 1
            var value = RawValue()
            switch base[index] {
            case UInt8(ascii: "\""):
                guard let string = try scanString(base, from: index, end: end, fail) else { return nil }
                value = RawValue(kind: .string, start: index + 1, count: string.next - index - 2, escaped: string.escaped)
                index = string.next
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                let (literal, kind, boolean): (StaticString, RawValue.Kind, Bool) =
                    base[index] == UInt8(ascii: "t") ? ("true", .boolean, true)
                    : base[index] == UInt8(ascii: "f") ? ("false", .boolean, false) : ("null", .null, false)
                let length = literal.utf8CodeUnitCount
                guard index + length <= end else { return nil }
                guard ByteScan.equalRun(base + index, literal.utf8Start, length) else { throw fail(index, "invalid literal") }
                value = RawValue(kind: kind, start: index, count: length, boolean: boolean)
                index += length
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let numberStart = index
                while index < end, Self.isNumberByte(base[index]) { index += 1 }
                guard index < end else { return nil }
                value = RawValue(kind: .number, start: numberStart, count: index - numberStart)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard let next = try skipNested(base, from: index, end: end, fail) else { return nil }
                value = RawValue(kind: .nested, start: index, count: next - index)
                index = next
            default:
                throw fail(index, "expected a value")
            }
            if field >= 0 {
                record.values[field] = value
                record.seen[field] = record.generation
            }
        }
    }

    @inline(__always)
    private static func isNumberByte(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    /// Finds the end of the string whose opening quote is at `start`, checking its UTF-8.
    /// Returns the index after the closing quote, or `nil` when the buffer ends first.
    ///
    /// Scans eight bytes at a time for the bytes that need attention (a quote, a backslash, a
    /// control character); non-ASCII bytes are noted for a UTF-8 check of the whole string.
    @inline(__always)
    private func scanString(_ base: UnsafePointer<UInt8>, from start: Int, end: Int,
                            _ fail: (Int, String) -> JSONFormatError) throws -> (next: Int, escaped: Bool)? {
        var index = start + 1
        var escaped = false
        var highBits: UInt64 = 0
        while true {
            while index + 8 <= end {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                let special = Self.zeroBytes(word ^ 0x2222_2222_2222_2222) | Self.zeroBytes(word ^ 0x5C5C_5C5C_5C5C_5C5C)
                    | Self.zeroBytes(word & 0xE0E0_E0E0_E0E0_E0E0)
                if special != 0 {
                    // Only bytes below the first special one count; bytes past the string's end must not.
                    let offset = special.trailingZeroBitCount / 8
                    highBits |= offset == 0 ? 0 : word & 0x8080_8080_8080_8080 & (~UInt64(0) >> (64 - 8 * offset))
                    index += offset
                    break
                }
                highBits |= word & 0x8080_8080_8080_8080
                index += 8
            }
            guard index < end else { return nil }
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                if highBits != 0 && !UTF8Check.isValid(base + start + 1, count: index - start - 1) {
                    throw fail(start, "invalid UTF-8 in a string")
                }
                return (index + 1, escaped)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 2
                continue
            }
            if byte < 0x20 { throw fail(index, "control character in a string") }
            if byte >= 0x80 { highBits |= 0x80 }
            index += 1
        }
    }

    /// A word with the high bit set in every byte of `word` that is zero (exact for the lowest).
    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }

    /// Skips a nested object or array (respecting strings); `nil` when the buffer ends first.
    private func skipNested(_ base: UnsafePointer<UInt8>, from start: Int, end: Int,
                            _ fail: (Int, String) -> JSONFormatError) throws -> Int? {
        var depth = 0
        var index = start
        while index < end {
            switch base[index] {
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return index + 1 }
            case UInt8(ascii: "\""):
                guard let string = try scanString(base, from: index, end: end, fail) else { return nil }
                index = string.next
                continue
            default: break
            }
            index += 1
        }
        return nil
    }
}

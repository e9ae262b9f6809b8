/// Small byte-level helpers for the import's parser.
enum ByteScan {
    /// Compares eight bytes at a time: the parser compares short keys, where a call to `memcmp`
    /// costs more than the comparison.
    @inline(__always)
    static func equal(_ left: UnsafePointer<UInt8>, _ right: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var index = 0
        while index + 8 <= count {
            if UnsafeRawPointer(left + index).loadUnaligned(as: UInt64.self)
                != UnsafeRawPointer(right + index).loadUnaligned(as: UInt64.self) { return false }
            index += 8
        }
        while index < count {
            if left[index] != right[index] { return false }
            index += 1
        }
        return true
    }

    /// `equal` for the parser's key runs and literals, which are at least four bytes: the last
    /// eight (or four) bytes are compared in one load, overlapping those before, instead of one
    /// at a time. (`ByteKeyTable` keeps `equal`: with this larger body its lookups stopped being
    /// inlined into the writer and cost more, measured with callgrind.)
    @inline(__always)
    static func equalRun(_ left: UnsafePointer<UInt8>, _ right: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        guard count >= 4 else { return equal(left, right, count) }
        guard count >= 8 else {
            return load(UInt32.self, left) == load(UInt32.self, right)
                && load(UInt32.self, left + count - 4) == load(UInt32.self, right + count - 4)
        }
        var index = 0
        while index + 8 < count {
            if load(UInt64.self, left + index) != load(UInt64.self, right + index) { return false }
            index += 8
        }
        return load(UInt64.self, left + count - 8) == load(UInt64.self, right + count - 8)
    }

    @inline(__always)
    private static func load<Word: FixedWidthInteger>(_ type: Word.Type, _ pointer: UnsafePointer<UInt8>) -> Word {
        UnsafeRawPointer(pointer).loadUnaligned(as: Word.self)
    }
}

/// UTF-8 validation for the non-ASCII strings the parser meets.
enum UTF8Check {
    static func isValid(_ pointer: UnsafePointer<UInt8>, count: Int) -> Bool {
        var index = 0
        while index < count {
            let lead = pointer[index]
            if lead < 0x80 { index += 1; continue }
            let length: Int
            var minimum: UInt32
            var scalar: UInt32
            switch lead {
            case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(lead & 0x1F)
            case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(lead & 0x0F)
            case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(lead & 0x07)
            default: return false
            }
            guard index + length <= count else { return false }
            for offset in 1..<length {
                let continuation = pointer[index + offset]
                guard continuation & 0xC0 == 0x80 else { return false }
                scalar = scalar << 6 | UInt32(continuation & 0x3F)
            }
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return false }
            index += length
        }
        return true
    }
}

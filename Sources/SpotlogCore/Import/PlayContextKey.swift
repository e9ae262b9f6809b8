/// The circumstances of a play that `play_contexts` stores once per combination: platform,
/// country, and the reasons it started and ended.
///
/// Encoded as one byte string (each part as a 4-byte little-endian length, then its bytes) so a
/// combination is looked up and compared as a single key. An absent part is empty; a play with
/// no known part has no key.
enum PlayContextKey {
    /// The parts, in key order; they are also the `play_contexts` columns after `id`.
    static let fields: [RecordField] = [.platform, .connCountry, .reasonStart, .reasonEnd]
    static let lengthSize = 4

    /// Writes `length` as a 4-byte length prefix at `destination`.
    @inline(__always)
    static func storeLength(_ length: Int, at destination: UnsafeMutablePointer<UInt8>) {
        for index in 0..<lengthSize { destination[index] = UInt8(truncatingIfNeeded: length >> (8 * index)) }
    }

    /// The parts of a key, as slices of it.
    static func decode(_ key: UnsafeBufferPointer<UInt8>) -> [UnsafeBufferPointer<UInt8>] {
        var parts: [UnsafeBufferPointer<UInt8>] = []
        var offset = 0
        while parts.count < fields.count, offset + lengthSize <= key.count {
            let length = (0..<lengthSize).reduce(0) { $0 | Int(key[offset + $1]) << (8 * $1) }
            let start = offset + lengthSize, end = min(start + length, key.count)
            parts.append(UnsafeBufferPointer(rebasing: key[start..<end]))
            offset = end
        }
        return parts
    }
}

/// Shuffle, skipped, offline and incognito, two bits each from bit 0 in that order (0 unknown,
/// 1 false, 2 true): the `plays.flags` column.
struct PlayFlags: Equatable {
    private(set) var rawValue: Int64 = 0

    enum Flag: Int64 { case shuffle = 0, skipped = 2, offline = 4, incognito = 6 }

    init() {}

    /// The flags of a stored play (`plays.flags`).
    init(rawValue: Int64) { self.rawValue = rawValue }

    /// SQL for the skipped flag of `plays.flags`: 0 unknown, 1 not skipped, 2 skipped.
    static let skippedSQL = "((flags >> \(Flag.skipped.rawValue)) & 3)"

    /// Whether the play was skipped; `nil` when its record did not say.
    var skipped: Bool? {
        switch rawValue >> Flag.skipped.rawValue & 3 {
        case 1: return false
        case 2: return true
        default: return nil
        }
    }

    /// Records a flag: -1 unknown, 0 false, 1 true.
    mutating func set(_ flag: Flag, _ value: Int8) {
        rawValue = rawValue & ~(3 << flag.rawValue) | Int64(value + 1) << flag.rawValue
    }
}

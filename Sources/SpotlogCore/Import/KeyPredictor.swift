/// Remembers the keys of the last record in order, so that the next record's keys are each
/// recognised with one comparison instead of a scan and a table lookup: Spotify writes every
/// record of a file with the same keys in the same order. A key that differs is scanned as
/// usual and remembered in its place.
final class KeyPredictor {
    private static let slots = 64
    /// Longest quoted key remembered; longer keys are always scanned.
    private static let slotSize = 64

    private let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: slots * slotSize)
    /// The quoted length of each remembered key (0: nothing remembered).
    private let lengths = UnsafeMutablePointer<Int>.allocate(capacity: slots)
    /// Each remembered key's `RecordField` raw value, or -1 for keys spotlog does not read.
    private let fields = UnsafeMutablePointer<Int>.allocate(capacity: slots)

    init() { lengths.initialize(repeating: 0, count: Self.slots) }

    deinit {
        bytes.deallocate()
        lengths.deallocate()
        fields.deallocate()
    }

    /// When the key (with its quotes) at `index` is the one remembered for `position`: its
    /// field (or -1) and the index after its closing quote.
    @inline(__always)
    func predict(position: Int, base: UnsafePointer<UInt8>, index: Int, end: Int) -> (field: Int, next: Int)? {
        guard position < Self.slots else { return nil }
        let length = lengths[position]
        guard length > 0, index + length <= end,
              ByteScan.equal(base + index, bytes + position * Self.slotSize, length) else { return nil }
        return (fields[position], index + length)
    }

    /// Remembers the quoted key of `length` bytes at `key` as the one for `position`. Keys with
    /// escapes are never predicted (their bytes are not their text).
    func learn(position: Int, key: UnsafePointer<UInt8>, length: Int, escaped: Bool, field: RecordField?) {
        guard position < Self.slots else { return }
        guard !escaped, length <= Self.slotSize else {
            lengths[position] = 0
            return
        }
        (bytes + position * Self.slotSize).update(from: key, count: length)
        lengths[position] = length
        fields[position] = field?.rawValue ?? -1
    }
}

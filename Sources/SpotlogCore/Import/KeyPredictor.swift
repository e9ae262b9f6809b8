/// Remembers how the last record's fields began, in order, so that the next record's keys are
/// each recognised with one comparison instead of a scan and a table lookup: Spotify writes every
/// record of a file with the same keys, in the same order and the same layout.
///
/// What is remembered for each field is the run of bytes from the end of the value before it
/// (or the record's opening brace) to the start of its value: the comma, the white space, the
/// quoted key, the colon and the white space after it, such as `,\n    "ms_played": `. Bytes
/// equal to a run the parser has already checked need no checking again. A field whose run
/// differs is parsed as usual and its run remembered in its place.
final class KeyPredictor {
    private static let slots = 64
    /// Longest run remembered; longer ones are always parsed.
    private static let slotSize = 96

    private let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: slots * slotSize)
    /// The length of each remembered run (0: nothing remembered).
    private let lengths = UnsafeMutablePointer<Int>.allocate(capacity: slots)
    /// Each remembered key's `RecordField` raw value, or -1 for keys spotlog does not read.
    private let fields = UnsafeMutablePointer<Int>.allocate(capacity: slots)

    init() { lengths.initialize(repeating: 0, count: Self.slots) }

    deinit {
        bytes.deallocate()
        lengths.deallocate()
        fields.deallocate()
    }

    /// When the bytes at `index` start with the run remembered for field `position`: its field
    /// (or -1) and the index of the first byte after the run.
    @inline(__always)
    func predict(position: Int, base: UnsafePointer<UInt8>, index: Int, end: Int) -> (field: Int, next: Int)? {
        guard position < Self.slots else { return nil }
        let length = lengths[position]
        guard length > 0, index + length <= end,
              ByteScan.equalRun(base + index, bytes + position * Self.slotSize, length) else { return nil }
        return (fields[position], index + length)
    }

    /// Remembers the run of `length` bytes at `start` as the one for field `position`. Runs whose
    /// key has escapes are never predicted (its bytes are not its text).
    func learn(position: Int, start: UnsafePointer<UInt8>, length: Int, escaped: Bool, field: RecordField?) {
        guard position < Self.slots else { return }
        guard !escaped, length <= Self.slotSize else {
            lengths[position] = 0
            return
        }
        (bytes + position * Self.slotSize).update(from: start, count: length)
        lengths[position] = length
        fields[position] = field?.rawValue ?? -1
    }
}

/// A span of bytes in a batch's arena; `count < 0` means the value was absent or null.
struct ArenaSlice {
    var offset: Int32 = 0
    var count: Int32 = -1
    static let null = ArenaSlice()
    var isNull: Bool { count < 0 }
}

/// One normalised history record, ready to be written. Its strings live in the arena of the
/// batch that holds it, so parsing allocates no string objects on the hot path.
struct PlayRecord {
    var kind: PlayKind
    var source: PlaySource
    /// When the play ended (UTC epoch ms); account data is minute precision.
    var endedAt: Int64
    var msPlayed: Int64
    /// A Spotify URI, or `local:<sha1>` derived from the names.
    var itemURI = ArenaSlice.null
    var itemName = ArenaSlice.null
    /// The artist (music), show (podcast) or book (audiobook).
    var creatorName = ArenaSlice.null
    var albumName = ArenaSlice.null
    var creatorURI = ArenaSlice.null
    var author = ArenaSlice.null
    /// The normalised "creator|item" key that joins sources which only share names.
    var matchKey = ArenaSlice.null
    /// The item's folded search text, prepared with the item's first record (else null).
    var searchText = ArenaSlice.null
    /// A track's album as a local URI (of artist and album), prepared with the track's first
    /// record (else null).
    var albumURI = ArenaSlice.null
    /// The item's number from the parse thread's `Sightings`.
    var itemNumber: Int32 = -1
    /// Platform, country and reasons as a `PlayContextKey`; null when none is known.
    var context = ArenaSlice.null
    /// The context's number from the parse thread's `Sightings`; -1 when it is null.
    var contextNumber: Int32 = -1
    /// Shuffle, skipped, offline and incognito, packed as in `plays.flags`.
    var flags = PlayFlags()
    /// UTC epoch ms, or `nil`.
    var offlineTimestamp: Int64?
    /// The same play as the file's record before it (see `RepeatDetector`).
    var repeatsPrevious = false
    /// `msPlayed` is an estimate (a Web API play's track duration).
    var msEstimated = false

    init(kind: PlayKind, source: PlaySource, endedAt: Int64, msPlayed: Int64) {
        self.kind = kind
        self.source = source
        self.endedAt = endedAt
        self.msPlayed = msPlayed
    }
}

/// Records of one file, parsed on a worker thread and handed to the writer.
final class RecordBatch: @unchecked Sendable {
    // Safe: a batch has one owner at a time: the parse thread fills it, hands it to the writer
    // through a `BatchChannel` (whose lock orders the two), and the writer recycles it.
    let arena = ByteArena()
    /// The parse thread that filled the batch (an index), whose `Sightings` numbered it.
    var worker = 0
    var records: [PlayRecord] = []
    var skipped: [SkipReason: Int] = [:]
    /// Every record read, stored or skipped.
    var recordsRead = 0
    /// The earliest and latest end time of the identifiable records.
    var earliest: Int64?
    var latest: Int64?

    init() { records.reserveCapacity(2048) }

    /// Empties the batch for reuse, keeping its memory.
    func reset() {
        arena.truncate(to: 0)
        records.removeAll(keepingCapacity: true)
        skipped = [:]
        recordsRead = 0
        earliest = nil
        latest = nil
    }

    /// The bytes of a slice (valid while the batch is alive and not appended to).
    @inline(__always)
    func withBytes<T>(_ slice: ArenaSlice, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try body(arena.bytes(slice))
    }

    /// A slice as a Swift string, or `nil` when null.
    func string(_ slice: ArenaSlice) -> String? {
        slice.isNull ? nil : withBytes(slice) { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends bytes to the arena and returns their slice.
    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) -> ArenaSlice { arena.append(bytes) }

    /// Appends bytes to the arena and returns their slice.
    func append(_ bytes: [UInt8]) -> ArenaSlice { bytes.withUnsafeBufferPointer { arena.append($0) } }
}

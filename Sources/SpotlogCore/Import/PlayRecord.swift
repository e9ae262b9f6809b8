/// What was played: a music track, a podcast episode or an audiobook chapter.
public enum PlayKind: String, Sendable, CaseIterable, Codable {
    case music, podcast, audiobook
}

extension PlayKind {
    /// A dense index (0, 1, 2) for counting in arrays.
    var index: Int {
        switch self {
        case .music: return 0
        case .podcast: return 1
        case .audiobook: return 2
        }
    }

    /// The raw value as static UTF-8, for binding to SQL without a copy.
    var sqlText: UnsafeBufferPointer<UInt8> {
        switch self {
        case .music: return StaticString("music").buffer
        case .podcast: return StaticString("podcast").buffer
        case .audiobook: return StaticString("audiobook").buffer
        }
    }
}

extension PlaySource {
    /// A dense index (0, 1, 2), the position in `allCases`.
    var index: Int {
        switch self {
        case .api: return 0
        case .extended: return 1
        case .account: return 2
        }
    }

    /// The raw value as static UTF-8, for binding to SQL without a copy.
    var sqlText: UnsafeBufferPointer<UInt8> {
        switch self {
        case .api: return StaticString("api").buffer
        case .extended: return StaticString("extended").buffer
        case .account: return StaticString("account").buffer
        }
    }
}

private extension StaticString {
    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: utf8Start, count: utf8CodeUnitCount) }
}

/// Where a play was learnt from.
public enum PlaySource: String, Sendable, CaseIterable, Codable {
    /// The Web API's recently-played endpoint (second precision, URIs).
    case api
    /// The privacy export's extended streaming history (second precision, URIs, every field).
    case extended
    /// The privacy export's account data (minute precision, names only, last year).
    case account
}

/// Why a record was read but not stored.
public enum SkipReason: String, Sendable, CaseIterable, Codable {
    /// Nothing says what was played (no track, episode or chapter).
    case unidentifiable
    /// The time the play ended is missing or does not parse.
    case invalidTimestamp = "invalid_timestamp"
    /// The milliseconds played are negative or not a whole number.
    case invalidMsPlayed = "invalid_ms_played"
    /// The play lasted longer than `PlausiblePlay.maxMillis` (24 h): no single stream does.
    case implausibleMsPlayed = "implausible_ms_played"
    /// The play ended before Spotify existed (2006) or more than a day after now.
    case implausibleTimestamp = "implausible_timestamp"
}

/// What a stored play may hold. Anything outside is skipped with a reason, never stored: it is
/// damage or forgery, and values this large would overflow the sums the rollups keep.
///
/// With at most 24 h per play, every sum of milliseconds stays below 2^63 for up to 10^11 plays,
/// so the rollups' Int64 sums (and SQLite's, which turn to REAL on overflow) cannot overflow.
public struct PlausiblePlay: Sendable, Equatable {
    /// The longest single play accepted: 24 hours.
    public static let maxMillis: Int64 = 86_400_000
    /// 2006-01-01T00:00:00Z: Spotify was founded in 2006, so no play ends earlier.
    public static let earliest: EpochMillis = 1_136_073_600_000
    /// How far after "now" a play may end: a day, for clocks that are a little off.
    public static let futureAllowance: EpochMillis = 86_400_000

    /// The latest end time accepted.
    public let latest: EpochMillis

    /// Bounds for plays read at `now`.
    public init(now: EpochMillis) { latest = now + Self.futureAllowance }

    /// Why a play ending at `endedAt` after `msPlayed` cannot be stored, or `nil` when it can.
    @inline(__always)
    func rejection(endedAt: EpochMillis, msPlayed: Int64) -> SkipReason? {
        if endedAt < Self.earliest || endedAt > latest { return .implausibleTimestamp }
        if msPlayed > Self.maxMillis { return .implausibleMsPlayed }
        return nil
    }
}

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

    init(kind: PlayKind, source: PlaySource, endedAt: Int64, msPlayed: Int64) {
        self.kind = kind
        self.source = source
        self.endedAt = endedAt
        self.msPlayed = msPlayed
    }
}

/// Records of one file, parsed on a worker thread and handed to the writer.
final class RecordBatch: @unchecked Sendable {
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

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

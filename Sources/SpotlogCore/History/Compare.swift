import GRDB

/// Totals of one period, for comparing periods.
public struct PeriodTotals: Equatable, Sendable {
    public let plays: Int
    public let msPlayed: Int64
    public let activeDays: Int
    public let distinctArtists: Int
    public let distinctTracks: Int
}

/// An artist or song in a comparison: its rank and plays in each period, and how it moved.
public struct ComparedItem: Equatable, Sendable {
    public enum Change: String, Sendable, CaseIterable {
        /// In the top of the period, unplayed in the other.
        case new
        case up, down, same
        /// In the top of the other period, not in this one's.
        case gone
    }
    public let kind: PlayKind
    public let name: String
    public let artist: String?
    public let rank: Int?
    public let plays: Int
    public let otherRank: Int?
    public let otherPlays: Int
    public let change: Change
}

/// Two periods side by side (`history compare`).
public struct Comparison: Sendable {
    public let totals: PeriodTotals
    public let otherTotals: PeriodTotals
    public let artists: [ComparedItem]
    public let tracks: [ComparedItem]
}

public enum Comparisons {
    /// Compares `scope` with `other` (the same but for the period): totals, and the top `limit`
    /// artists and songs of each, with their ranks and plays in both.
    public static func compare(_ scope: HistoryScope, with other: HistoryScope, limit: Int, in db: Database) throws
        -> Comparison {
        let parts = [RankingPart(.artists, scope.kinds), RankingPart(.tracks, scope.kinds)]
        let these = try RankingPart.rank(parts, scope: scope, limit: nil, in: db)
        let those = try RankingPart.rank(parts, scope: other, limit: nil, in: db)
        let empty = Ranking(entries: [], totalPlays: 0, totalMillis: 0)
        let artists = these[parts[0]] ?? empty, tracks = these[parts[1]] ?? empty
        let otherArtists = those[parts[0]] ?? empty, otherTracks = those[parts[1]] ?? empty
        func totals(_ artists: Ranking, _ tracks: Ranking, _ scope: HistoryScope) throws -> PeriodTotals {
            PeriodTotals(plays: tracks.totalPlays, msPlayed: tracks.totalMillis,
                         activeDays: try TimeProfile.read(scope, in: db).activeDays.count,
                         distinctArtists: artists.entries.count, distinctTracks: tracks.entries.count)
        }
        return Comparison(totals: try totals(artists, tracks, scope), otherTotals: try totals(otherArtists, otherTracks, other),
                          artists: items(artists, otherArtists, limit: limit), tracks: items(tracks, otherTracks, limit: limit))
    }

    /// The top `limit` of `ranking`, then those of `other`'s top that left it.
    static func items(_ ranking: Ranking, _ other: Ranking, limit: Int) -> [ComparedItem] {
        struct Key: Hashable { let kind: PlayKind, name: String, artist: String? }
        func key(_ entry: RankedEntry) -> Key { Key(kind: entry.kind, name: entry.name, artist: entry.artist) }
        let otherByKey = Dictionary(other.entries.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        let top = ranking.entries.prefix(limit)
        var items = top.map { entry -> ComparedItem in
            let before = otherByKey[key(entry)]
            let change: ComparedItem.Change = before.map {
                $0.rank > entry.rank ? .up : $0.rank < entry.rank ? .down : .same
            } ?? .new
            return ComparedItem(kind: entry.kind, name: entry.name, artist: entry.artist, rank: entry.rank, plays: entry.plays,
                                otherRank: before?.rank, otherPlays: before?.plays ?? 0, change: change)
        }
        let shown = Set(top.map(key))
        let byKey = Dictionary(ranking.entries.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        for entry in other.entries.prefix(limit) where !shown.contains(key(entry)) {
            let now = byKey[key(entry)]
            items.append(ComparedItem(kind: entry.kind, name: entry.name, artist: entry.artist, rank: now?.rank,
                                      plays: now?.plays ?? 0, otherRank: entry.rank, otherPlays: entry.plays, change: .gone))
        }
        return items
    }
}

extension PeriodSpec {
    /// The period of the same length just before `resolved` (this period resolved): the year or
    /// month before, the N days, weeks, months or years before, or as many days before a range.
    /// `nil` for all time or an open range, which have none.
    func previous(of resolved: ResolvedPeriod, now: EpochMillis) -> PeriodSpec? {
        guard let from = resolved.from, let to = resolved.to else { return nil }
        let clock = ZoneClock(zone: resolved.zone)
        let first = clock.localDate(of: from), last = clock.localDate(of: to - 1)
        switch self {
        case .all: return nil
        case .year(let year): return .year(year - 1)
        case .month(let year, let month):
            let before = LocalDate(year: year, month: month, day: 1).adding(months: -1)
            return .month(year: before.year, month: before.month)
        case .months(let count):
            return .dates(from: first.adding(months: -count), to: first.adding(days: -1))
        case .years(let count):
            return .dates(from: first.adding(months: -12 * count), to: first.adding(days: -1))
        case .days, .weeks, .dates:
            let length = last.daysSinceEpoch - first.daysSinceEpoch + 1
            return .dates(from: first.adding(days: -length), to: first.adding(days: -1))
        }
    }
}

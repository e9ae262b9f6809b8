import GRDB

/// Counted plays per local month and the local days with counted plays of a set of tracks
/// over a scope.
///
/// At the default threshold this reads `play_months` of the tracks: a row's `days` hold each
/// UTC day's first and last counted quarter-hour, whose local days are the day's local days
/// (a zone's offset changes only on a quarter-hour, and a UTC day spans at most two local days).
/// A local month is its UTC month's row, corrected by the raw plays between its local and UTC
/// start and between its local and UTC end (hours, in zones away from UTC); months the period
/// cuts are counted from raw plays. Other thresholds count raw plays.
struct ItemTimeline {
    var months: [MonthCount] = []
    var activeDays: [LocalDate] = []

    static func read(trackList: String, scope: HistoryScope, in db: Database) throws -> ItemTimeline {
        scope.usesRollups ? try fromRollups(trackList, scope, db) : try fromPlays(trackList, scope, db)
    }

    private static func localMonth(_ date: LocalDate) -> Int { date.year * 12 + date.month - 1 }
    private static func firstDay(ofMonth month: Int) -> LocalDate {
        let year = month.floorDivided(by: 12)
        return LocalDate(year: year, month: month - year * 12 + 1, day: 1)
    }

    private static func fromPlays(_ trackList: String, _ scope: HistoryScope, _ db: Database) throws -> ItemTimeline {
        let condition = scope.playsCondition
        let plays = try Row.fetchAll(db, sql: """
            SELECT played_at, ms_played FROM plays WHERE \(condition.sql) AND item_id IN (\(trackList)) ORDER BY played_at
            """, arguments: condition.arguments)
        guard let first: Int64 = plays.first?[0], let last: Int64 = plays.last?[0] else { return ItemTimeline() }
        let offsets = ZoneClock(zone: scope.period.zone).offsets(from: first, to: last + 1)
        var months: [Int: (plays: Int, millis: Int64)] = [:], days = Set<Int>()
        for play in plays {
            let day = LocalMoment(local: offsets.local(play[0])).day
            days.insert(day)
            months[localMonth(LocalDate(daysSinceEpoch: day)), default: (0, 0)].plays += 1
            months[localMonth(LocalDate(daysSinceEpoch: day)), default: (0, 0)].millis += play[1] as Int64
        }
        return ItemTimeline(months: series(months), activeDays: days.sorted().map(LocalDate.init(daysSinceEpoch:)))
    }

    /// Every month from the first with plays to the last, gaps included.
    private static func series(_ months: [Int: (plays: Int, millis: Int64)]) -> [MonthCount] {
        let played = months.filter { $0.value.plays > 0 }.keys
        guard let low = played.min(), let high = played.max() else { return [] }
        return (low...high).map { MonthCount(month: firstDay(ofMonth: $0), plays: months[$0]?.plays ?? 0,
                                             msPlayed: months[$0]?.millis ?? 0) }
    }

    private static func fromRollups(_ trackList: String, _ scope: HistoryScope, _ db: Database) throws -> ItemTimeline {
        let period = scope.period
        var filter = "user_id = ? AND kind = 'music' AND item_id IN (\(trackList)) AND plays > 0"
        var arguments: StatementArguments = [scope.userID]
        // UTC months that may hold plays of the period's local months.
        if let from = period.from { filter += " AND month >= ?"; arguments += [Rollups.month(of: from) - 1] }
        if let to = period.to { filter += " AND month <= ?"; arguments += [Rollups.month(of: to) + 1] }
        var utcMonths: [Int: (plays: Int, millis: Int64)] = [:]
        let clock = ZoneClock(zone: period.zone)
        // Read by a cursor (no row is copied). Offsets are looked up to a year after now (the
        // importer refuses plays in the future).
        let rows = try Row.fetchCursor(db, sql: "SELECT month, plays, ms_played, days FROM play_months WHERE \(filter) ORDER BY month",
                                       arguments: arguments)
        guard var row = try rows.next() else { return ItemTimeline() }
        let low: Int = row[0]
        var high = low
        let offsets = clock.offsets(from: Rollups.start(ofMonth: low),
                                    to: Rollups.start(ofMonth: max(low, Rollups.month(of: scope.now)) + 13))
        // Local days from the UTC day before the first month on.
        let firstUTCDay = Int(Rollups.start(ofMonth: low) / Rollups.millisPerDay) - 1
        var active: [Bool] = []
        let from = period.from ?? .min, to = period.to ?? .max
        var segment = offsets.span(at: Rollups.start(ofMonth: low))
        while true {
            let month: Int = try row.decode(atIndex: 0), monthStart = Rollups.start(ofMonth: month)
            high = month
            utcMonths[month, default: (0, 0)].plays += try row.decode(Int.self, atIndex: 1)
            utcMonths[month, default: (0, 0)].millis += try row.decode(Int64.self, atIndex: 2)
            if monthStart < segment.start || monthStart >= segment.until { segment = offsets.span(at: monthStart) }
            try row.withUnsafeData(atIndex: 3) { blob in
                blob?.withUnsafeBytes { raw in
                    func mark(_ instant: EpochMillis) {
                        guard instant >= from && instant < to else { return }
                        if instant < segment.start || instant >= segment.until { segment = offsets.span(at: instant) }
                        let index = Int((instant + segment.offset).floorDivided(by: Rollups.millisPerDay)) - firstUTCDay
                        if index >= active.count { active += repeatElement(false, count: index - active.count + 32) }
                        active[index] = true
                    }
                    var offset = 0
                    while offset + MonthDays.entrySize <= raw.count {
                        let dayStart = monthStart + Int64(raw[offset] - 1) * Rollups.millisPerDay
                        mark(dayStart + Int64(raw[offset + 1]) * Rollups.millisPerQuarter)
                        mark(dayStart + Int64(raw[offset + 2]) * Rollups.millisPerQuarter)
                        offset += MonthDays.entrySize
                    }
                }
            }
            guard let following = try rows.next() else { break }
            row = following
        }
        let days = active.indices.filter { active[$0] }.map { $0 + firstUTCDay }
        func localStart(_ month: Int) -> EpochMillis { clock.startOfDay(firstDay(ofMonth: month)) }
        var first = low - 1, last = high + 1
        if let from = period.from { first = max(first, localMonth(clock.localDate(of: from))) }
        if let to = period.to { last = min(last, localMonth(clock.localDate(of: to - 1))) }
        guard first <= last else { return ItemTimeline() }
        // The raw plays needed, read in one statement: between each month's local and UTC start,
        // and the months the period cuts.
        var ranges = (first...last + 1).map { month in
            let local = localStart(month), utc = Rollups.start(ofMonth: month)
            return min(local, utc)..<max(local, utc)
        }
        for month in Set([first, last]) {
            let start = localStart(month), end = localStart(month + 1)
            let inPeriod = max(start, period.from ?? start)..<min(end, period.to ?? end)
            if inPeriod != start..<end { ranges.append(inPeriod) }
        }
        let raw = try RawPlays(ranges, trackList: trackList, scope: scope, in: db)
        /// Plays that are in local month `month` but in the UTC month before (or the other way,
        /// subtracted): those between its local and its UTC start.
        func shift(_ month: Int) -> (plays: Int, millis: Int64) {
            let local = localStart(month), utc = Rollups.start(ofMonth: month)
            if local < utc { return raw.count(local..<utc) }
            let back = raw.count(utc..<local)
            return (-back.plays, -back.millis)
        }
        var months: [Int: (plays: Int, millis: Int64)] = [:]
        var startShift = shift(first)
        for month in first...last {
            let start = localStart(month), end = localStart(month + 1)
            let endShift = shift(month + 1)
            if period.contains(start) && (period.to.map { end <= $0 } ?? true) {
                let utc = utcMonths[month] ?? (0, 0)
                months[month] = (utc.plays + startShift.plays - endShift.plays, utc.millis + startShift.millis - endShift.millis)
            } else {
                months[month] = raw.count(max(start, period.from ?? start)..<min(end, period.to ?? end))
            }
            startShift = endShift
        }
        return ItemTimeline(months: series(months), activeDays: days.map(LocalDate.init(daysSinceEpoch:)))
    }
}

/// Counted plays of a set of tracks in a few time ranges, read in one statement, then counted
/// per range by binary search.
private struct RawPlays {
    private var instants: [EpochMillis] = []
    /// `millis[i]`: the milliseconds of the plays before `instants[i]`.
    private var millis: [Int64] = [0]

    init(_ wanted: [Range<EpochMillis>], trackList: String, scope: HistoryScope, in db: Database) throws {
        // Overlapping ranges are joined, so that no play is read twice.
        var ranges: [Range<EpochMillis>] = []
        for range in wanted.filter({ !$0.isEmpty }).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = ranges.last, range.lowerBound <= last.upperBound {
                ranges[ranges.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                ranges.append(range)
            }
        }
        guard !ranges.isEmpty else { return }
        var arguments = StatementArguments()
        for range in ranges { arguments += [range.lowerBound, range.upperBound] }
        let condition = scope.playsCondition(from: nil, to: nil)
        arguments += condition.arguments
        // The ranges drive (CROSS JOIN keeps them outside), each a range of the plays' key: an
        // OR of the ranges made SQLite scan every play (1.4 s for an artist on 1M plays).
        let rows = try Row.fetchCursor(db, sql: """
            WITH r(low, high) AS (VALUES \(ranges.map { _ in "(?, ?)" }.joined(separator: ", ")))
            SELECT played_at, ms_played FROM r CROSS JOIN plays
            WHERE played_at >= r.low AND played_at < r.high AND \(condition.sql) AND item_id IN (\(trackList))
            ORDER BY played_at
            """, arguments: arguments)
        while let row = try rows.next() {
            instants.append(row[0])
            millis.append(millis[millis.count - 1] + (row[1] as Int64))
        }
    }

    func count(_ range: Range<EpochMillis>) -> (plays: Int, millis: Int64) {
        guard !range.isEmpty else { return (0, 0) }
        let low = position(range.lowerBound), high = position(range.upperBound)
        return (high - low, millis[high] - millis[low])
    }

    /// The number of instants before `instant`.
    private func position(_ instant: EpochMillis) -> Int {
        var low = 0, high = instants.count
        while low < high {
            let middle = (low + high) / 2
            if instants[middle] < instant { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

import GRDB

/// A run of listening: plays with no pause longer than the gap between them.
public struct ListeningSession: Equatable, Sendable {
    public let start: EpochMillis
    public let end: EpochMillis
    public let plays: Int
    public var millis: Int64 { end - start }
}

/// How you listen in sessions (`history sessions`).
public struct SessionReport: Sendable {
    public let gapMillis: Int64
    public let sessions: Int
    public let plays: Int
    public let medianMillis: Int64
    public let longest: ListeningSession?
    public let medianPlays: Int
    /// Sessions by the local weekday (index 0 = Monday) and hour they started.
    public let byWeekday: [Int]
    public let byHour: [Int]
}

/// Sessions: a play starts `ms_played` before it ends; a new session begins when a play starts
/// more than the gap after the latest end so far. Built from `play_days.intervals` (every
/// play's end and length), filtered by the scope's period, kinds and `--min-played`.
public enum Sessions {
    public static func report(_ scope: HistoryScope, gapMillis: Int64, in db: Database) throws -> SessionReport {
        let sessions = try find(scope, gapMillis: gapMillis, in: db)
        var byWeekday = [Int](repeating: 0, count: 7), byHour = [Int](repeating: 0, count: 24)
        if let first = sessions.first, let last = sessions.last {
            let offsets = ZoneClock(zone: scope.period.zone).offsets(from: first.start, to: last.start + 1)
            for session in sessions {
                let moment = LocalMoment(local: offsets.local(session.start))
                byWeekday[moment.weekday - 1] += 1
                byHour[moment.hour] += 1
            }
        }
        let lengths = sessions.map(\.millis).sorted(), plays = sessions.map(\.plays).sorted()
        return SessionReport(
            gapMillis: gapMillis, sessions: sessions.count, plays: plays.reduce(0, +),
            medianMillis: lengths.isEmpty ? 0 : lengths[(lengths.count - 1) / 2], longest: longest(sessions),
            medianPlays: plays.isEmpty ? 0 : plays[(plays.count - 1) / 2], byWeekday: byWeekday, byHour: byHour)
    }

    /// The longest session; of equal ones, the first.
    static func longest(_ sessions: [ListeningSession]) -> ListeningSession? {
        sessions.reduce(nil) { best, session in best.map { session.millis > $0.millis ? session : $0 } ?? session }
    }

    /// The sessions of the plays in scope, in order.
    ///
    /// Plays are taken day by day, each day's in order of end (see `SessionMerger`). At the
    /// default threshold and a gap of at least `SessionSpans.gap`, the whole days in the period
    /// are read as their stored 30-minute sessions (`play_intervals.spans`): merging sessions of
    /// parts of the plays with a gap at least theirs gives the sessions of all of them, and a
    /// year has hundreds of sessions for tens of thousands of plays.
    static func find(_ scope: HistoryScope, gapMillis: Int64, in db: Database) throws -> [ListeningSession] {
        var filter = "user_id = ? AND kind IN (\(scope.kindList))"
        var arguments: StatementArguments = [scope.userID]
        if let from = scope.period.from { filter += " AND day >= ?"; arguments += [from.floorDivided(by: Rollups.millisPerDay)] }
        if let to = scope.period.to { filter += " AND day <= ?"; arguments += [(to - 1).floorDivided(by: Rollups.millisPerDay)] }
        let period = scope.period, shortest = scope.minPlayedMillis
        let spansServe = scope.usesRollups && gapMillis >= SessionSpans.gap
        var merger = SessionMerger(gap: gapMillis)
        var day: [ListeningSession] = [], currentDay: Int64?
        func endDay() {
            // A day's rows (kinds and sources) are each in order of end; most days have one.
            if zip(day, day.dropFirst()).contains(where: { $1.end < $0.end }) { day.sort { $0.end < $1.end } }
            for part in day { merger.add(part) }
            day.removeAll(keepingCapacity: true)
        }
        let rows = try Row.fetchCursor(db, sql: "SELECT day, intervals, spans FROM play_intervals WHERE \(filter) ORDER BY day",
                                       arguments: arguments)
        while let row = try rows.next() {
            let rowDay: Int64 = row[0], dayStart = rowDay * Rollups.millisPerDay
            if rowDay != currentDay { endDay(); currentDay = rowDay }
            // Only days at the period's edges need each play checked against it.
            let whole = (period.from.map { $0 <= dayStart } ?? true)
                && (period.to.map { dayStart + Rollups.millisPerDay <= $0 } ?? true)
            if whole && spansServe {
                try row.withUnsafeData(atIndex: 2) { blob in blob?.withUnsafeBytes { day += SessionSpans.sessions($0) } }
                continue
            }
            try row.withUnsafeData(atIndex: 1) { blob in
                blob?.withUnsafeBytes { raw in
                    IntervalBlob.forEach(raw, dayStart: dayStart) { end, millis in
                        if millis >= shortest && (whole || period.contains(end)) {
                            day.append(ListeningSession(start: end - millis, end: end, plays: 1))
                        }
                    }
                }
            }
        }
        endDay()
        return merger.sessions
    }
}

/// Builds sessions from plays (or sessions of parts of them) given in order of end: each
/// joins the sessions at the end of the list that ended no more than the gap before it
/// started (the ones its span, plus the gap, overlaps), so no sort of the whole history is
/// needed, and the result is that of the rule in `Sessions`.
struct SessionMerger {
    let gap: Int64
    private(set) var sessions: [ListeningSession] = []

    init(gap: Int64) { self.gap = gap }

    mutating func add(_ part: ListeningSession) {
        var session = part
        while let last = sessions.last, last.end + gap >= session.start {
            sessions.removeLast()
            session = ListeningSession(start: min(last.start, session.start), end: max(last.end, session.end),
                                       plays: last.plays + session.plays)
        }
        sessions.append(session)
    }
}

/// The `spans` blob of `play_intervals` (from `v10_deeper_rollups`): the sessions of the row's
/// counted plays with a 30-minute gap, each as start, end and plays (three little-endian i64).
enum SessionSpans {
    static let gap: Int64 = 30 * 60_000
    static let entrySize = 24

    /// The spans of a row's plays (`entries` in order of end).
    static func spans(of entries: [IntervalBlob.Entry]) -> [ListeningSession] {
        var merger = SessionMerger(gap: gap)
        for entry in entries where entry.millis >= Rollups.countedMillis {
            merger.add(ListeningSession(start: entry.end - entry.millis, end: entry.end, plays: 1))
        }
        return merger.sessions
    }

    static func sessions(_ blob: UnsafeRawBufferPointer) -> [ListeningSession] {
        stride(from: 0, to: blob.count - entrySize + 1, by: entrySize).map { offset in
            let value = { Int64(littleEndian: blob.loadUnaligned(fromByteOffset: offset + $0, as: Int64.self)) }
            return ListeningSession(start: value(0), end: value(8), plays: Int(value(16)))
        }
    }

    static func append(_ spans: [ListeningSession], to output: inout [UInt8]) {
        for span in spans {
            for value in [span.start, span.end, Int64(span.plays)] {
                withUnsafeBytes(of: value.littleEndian) { output.append(contentsOf: $0) }
            }
        }
    }
}

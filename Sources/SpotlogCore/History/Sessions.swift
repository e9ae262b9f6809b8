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
/// more than the gap after the latest end so far. Built from the plays in scope (period, kinds
/// and `--min-played`), or from their stored 30-minute sessions (see `find`).
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
    /// Plays are read in order of their end, which `plays` is keyed by. At the default threshold
    /// and a gap of at least `SessionSpans.gap`, the whole UTC days in the period are read as
    /// their stored 30-minute sessions instead (`play_spans`), and only the days the period cuts
    /// as plays: merging sessions of parts of the plays with a gap at least theirs gives the
    /// sessions of all of them, and a year has hundreds of sessions for tens of thousands of plays.
    static func find(_ scope: HistoryScope, gapMillis: Int64, in db: Database) throws -> [ListeningSession] {
        var merger = SessionMerger(gap: gapMillis)
        func addPlays(from: EpochMillis?, to: EpochMillis?) throws {
            let condition = scope.playsCondition(from: from, to: to)
            let plays = try Row.fetchCursor(db, sql: """
                SELECT played_at, ms_played FROM plays WHERE \(condition.sql) ORDER BY played_at
                """, arguments: condition.arguments)
            while let play = try plays.next() {
                let end: Int64 = play[0]
                merger.add(ListeningSession(start: end - (play[1] as Int64), end: end, plays: 1))
            }
        }
        guard scope.usesRollups && gapMillis >= SessionSpans.gap else {
            try addPlays(from: scope.period.from, to: scope.period.to)
            return merger.sessions
        }
        guard let days = scope.wholeDays() else {
            try addPlays(from: scope.period.from, to: scope.period.to)
            return merger.sessions
        }
        if let before = days.before { try addPlays(from: before.lowerBound, to: before.upperBound) }
        var dayParts: [ListeningSession] = [], currentDay: Int64?
        func endDayParts() {
            // A day's rows (kinds and sources) are each in order of end; most days have one.
            if zip(dayParts, dayParts.dropFirst()).contains(where: { $1.end < $0.end }) { dayParts.sort { $0.end < $1.end } }
            for part in dayParts { merger.add(part) }
            dayParts.removeAll(keepingCapacity: true)
        }
        let rows = try Row.fetchCursor(db, sql: "SELECT day, spans FROM play_spans WHERE \(days.condition.sql) ORDER BY day",
                                       arguments: days.condition.arguments)
        while let row = try rows.next() {
            let rowDay: Int64 = row[0]
            if rowDay != currentDay { endDayParts(); currentDay = rowDay }
            try row.withUnsafeData(atIndex: 1) { blob in blob?.withUnsafeBytes { dayParts += SessionSpans.sessions($0) } }
        }
        endDayParts()
        if let after = days.after { try addPlays(from: after.lowerBound, to: after.upperBound) }
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

/// The `spans` blob of `play_spans` (from `v10_deeper_rollups`): the sessions of the counted
/// plays of a day, kind and source with a 30-minute gap, each as start, end and plays (three
/// little-endian i64).
enum SessionSpans {
    static let gap: Int64 = 30 * 60_000
    static let entrySize = 24

    /// The sessions of counted plays (or of sessions of them), in any order.
    static func spans(of parts: [ListeningSession]) -> [ListeningSession] {
        var merger = SessionMerger(gap: gap)
        for part in parts.sorted(by: { $0.end < $1.end }) { merger.add(part) }
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

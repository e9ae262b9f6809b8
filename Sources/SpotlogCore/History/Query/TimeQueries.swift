/// When the listening happened: `heatmap`, `timeline` and `streaks`.
public enum TimeQueries {
    public static let heatmap = HistoryQuery<HeatmapBody>(
        "heatmap", tool: "listening_heatmap", summary: "plays (or time) by weekday and hour",
        parameters: [HistoryParameters.by],
        schema: .object(["by": .oneOf(RankingMeasure.allCases.map(\.rawValue)), "cells": .array(.object([
            "weekday": .integer("1-7, ISO, 1 = Monday"), "hour": .integer("0-23"), "plays": .integer(), "ms_played": .integer(),
        ]), "all 168 cells, Monday 0:00 first")])
    ) { arguments, scope, db in
        let cells = try TimeReports.heatmap(scope, in: db)
        return HeatmapBody(by: arguments.string(HistoryParameters.by) ?? "plays", cells: cells.map {
            HeatmapBody.Cell(weekday: $0.weekday, hour: $0.hour, plays: $0.plays, msPlayed: $0.msPlayed)
        })
    }

    public static let per = QueryParameter("per", .choice(TimelineStep.allCases.map(\.rawValue)), default: "month",
                                           help: "one bar per day, week (from Monday), month or year")

    public static let timeline = HistoryQuery<TimelineBody>(
        "timeline", tool: "timeline", summary: "plays (or time) per day, week, month or year",
        parameters: [per, HistoryParameters.by],
        schema: .object(["per": .oneOf(TimelineStep.allCases.map(\.rawValue)), "by": .oneOf(RankingMeasure.allCases.map(\.rawValue)),
                         "items": .array(.object(["start": .string("YYYY-MM-DD, the bucket's first day"), "plays": .integer(),
                                                  "ms_played": .integer()]), "empty buckets included")])
    ) { arguments, scope, db in
        let step = TimelineStep(rawValue: arguments.string(per) ?? "month") ?? .month
        let buckets = try TimeReports.timeline(scope, step: step, in: db)
        return TimelineBody(per: step.rawValue, by: arguments.string(HistoryParameters.by) ?? "plays", items: buckets.map {
            TimelineBody.Bucket(start: $0.start.description, plays: $0.plays, msPlayed: $0.msPlayed)
        })
    }

    public static let artist = QueryParameter("artist", .text, help: "streaks of listening to one artist")

    public static let streaks = HistoryQuery<StreaksBody>(
        "streaks", tool: "streaks", summary: "longest and current runs of days with listening", parameters: [artist],
        schema: .object(["artist": .nullable(.string()), "active_days": .integer(), "longest": .nullable(DayRange.schema),
                         "current": .nullable(DayRange.schema)])
    ) { arguments, scope, db in
        let name = arguments.string(artist)
        let days: [LocalDate]
        if let name {
            guard let found = try TimeReports.activeDays(ofArtist: name, scope: scope, in: db) else {
                throw SpotlogError.notFound("no artist named '\(name)' in your history")
            }
            days = found
        } else {
            days = try TimeReports.activeDays(scope, in: db)
        }
        let today = ZoneClock(zone: scope.period.zone).localDate(of: scope.now)
        let result = TimeReports.streaks(activeDays: days, today: today)
        return StreaksBody(artist: name, activeDays: result.activeDays, longest: result.longest.map(DayRange.init),
                           current: result.current.map(DayRange.init))
    }
}

public struct HeatmapBody: Encodable, Sendable {
    public struct Cell: Encodable, Sendable {
        public let weekday: Int
        public let hour: Int
        public let plays: Int
        public let msPlayed: Int64
    }
    public let by: String
    public let cells: [Cell]
}

public struct TimelineBody: Encodable, Sendable {
    public struct Bucket: Encodable, Sendable {
        public let start: String
        public let plays: Int
        public let msPlayed: Int64
    }
    public let per: String
    public let by: String
    public let items: [Bucket]
}

public struct StreaksBody: Encodable, Sendable {
    public let artist: String?
    public let activeDays: Int
    public let longest: DayRange?
    /// A streak that includes today or yesterday.
    public let current: DayRange?
}

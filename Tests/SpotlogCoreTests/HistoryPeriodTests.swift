import Foundation
import Testing
@testable import SpotlogCore

@Suite struct HistoryPeriodTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    /// 2024-05-15T10:00:00Z, a Wednesday.
    let now = EpochMillis(iso8601: "2024-05-15T10:00:00Z")!

    func bounds(_ spec: PeriodSpec, _ zone: TimeZone) -> (String?, String?) {
        let period = spec.resolve(now: now, zone: zone)
        let clock = ZoneClock(zone: zone)
        return (period.from.map(clock.iso8601), period.to.map(clock.iso8601))
    }

    @Test func parsesEveryForm() {
        #expect(PeriodSpec.parse("7d") == .days(7))
        #expect(PeriodSpec.parse("4w") == .weeks(4))
        #expect(PeriodSpec.parse("6m") == .months(6))
        #expect(PeriodSpec.parse("1y") == .years(1))
        #expect(PeriodSpec.parse("all") == .all)
        #expect(PeriodSpec.parse("2024") == .year(2024))
        #expect(PeriodSpec.parse("2024-02") == .month(year: 2024, month: 2))
        for bad in ["", "0d", "7x", "2024-13", "24-02", "d", "-3d", "forever"] { #expect(PeriodSpec.parse(bad) == nil, "\(bad)") }
    }

    @Test func relativePeriodsEndWithTodayInTheZone() {
        #expect(bounds(.days(7), berlin) == ("2024-05-09T00:00:00+02:00", "2024-05-16T00:00:00+02:00"))
        #expect(bounds(.weeks(1), berlin) == bounds(.days(7), berlin))
        #expect(bounds(.months(1), berlin) == ("2024-04-16T00:00:00+02:00", "2024-05-16T00:00:00+02:00"))
        #expect(bounds(.years(1), berlin) == ("2023-05-16T00:00:00+02:00", "2024-05-16T00:00:00+02:00"))
        #expect(bounds(.days(1), TimeZone(identifier: "Pacific/Kiritimati")!)
                == ("2024-05-16T00:00:00+14:00", "2024-05-17T00:00:00+14:00"), "already tomorrow there")
    }

    @Test func calendarPeriodsAcrossDaylightSavingTime() {
        #expect(bounds(.month(year: 2024, month: 3), berlin) == ("2024-03-01T00:00:00+01:00", "2024-04-01T00:00:00+02:00"))
        #expect(bounds(.year(2024), berlin) == ("2024-01-01T00:00:00+01:00", "2025-01-01T00:00:00+01:00"))
        let days = PeriodSpec.dates(from: LocalDate(iso: "2024-03-31"), to: LocalDate(iso: "2024-03-31"))
        let period = days.resolve(now: now, zone: berlin)
        #expect(period.to! - period.from! == 23 * 3_600_000, "the day clocks go forward has 23 hours")
        #expect(bounds(.all, berlin) == (nil, nil))
    }

    @Test func localDatesAndHoursOfInstants() {
        let clock = ZoneClock(zone: berlin)
        let offsets = clock.offsets(from: EpochMillis(iso8601: "2024-01-01T00:00:00Z")!, to: EpochMillis(iso8601: "2025-01-01T00:00:00Z")!)
        func local(_ text: String) -> (String, Int, Int) {
            let moment = LocalMoment(local: offsets.local(EpochMillis(iso8601: text)!))
            return (moment.date.description, moment.weekday, moment.hour)
        }
        #expect(local("2024-03-30T23:30:00Z") == ("2024-03-31", 7, 0), "00:30 on the night clocks go forward is Sunday")
        #expect(local("2024-03-31T01:30:00Z") == ("2024-03-31", 7, 3), "01:59 CET is followed by 03:00 CEST")
        #expect(local("2024-10-27T00:30:00Z") == ("2024-10-27", 7, 2))
        #expect(local("2024-10-27T01:30:00Z") == ("2024-10-27", 7, 2), "the repeated hour")
        let kolkata = ZoneClock(zone: TimeZone(identifier: "Asia/Kolkata")!)
        #expect(kolkata.localDate(of: EpochMillis(iso8601: "2024-05-01T18:40:00Z")!).description == "2024-05-02")
        #expect(kolkata.localDate(of: EpochMillis(iso8601: "2024-05-01T18:20:00Z")!).description == "2024-05-01")
        #expect(LocalDate(iso: "2024-05-13")!.isoWeekday == 1)
        #expect(LocalDate(iso: "2024-05-19")!.isoWeekday == 7)
        #expect(LocalDate(iso: "2024-01-31")!.adding(months: 1).description == "2024-02-29")
    }
}

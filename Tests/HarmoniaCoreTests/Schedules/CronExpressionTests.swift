import Foundation
import HarmoniaCore
import Testing

/// Cron expressions: parsing, and the next due time in a time zone, across daylight saving.
struct CronExpressionTests {
    static func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
    static let newYork = TimeZone(identifier: "America/New_York")!
    static let utc = TimeZone(identifier: "UTC")!

    @Test func parsesFieldsNamesStepsRangesAndMacros() throws {
        let cron = try CronExpression("*/15 9-17 * * mon-fri")
        #expect(cron.next(after: Self.at("2026-12-05T12:00:00Z"), in: Self.utc) == Self.at("2026-12-07T09:00:00Z"), "Saturday → Monday 09:00")
        #expect(cron.next(after: Self.at("2026-12-07T09:00:00Z"), in: Self.utc) == Self.at("2026-12-07T09:15:00Z"))
        #expect(cron.next(after: Self.at("2026-12-07T17:45:00Z"), in: Self.utc) == Self.at("2026-12-08T09:00:00Z"))
        let daily = try CronExpression("@daily")
        #expect(daily.next(after: Self.at("2026-12-07T00:00:00Z"), in: Self.utc) == Self.at("2026-12-08T00:00:00Z"))
        let sundays = try CronExpression("0 12 * * 7")
        #expect(sundays.next(after: Self.at("2026-12-07T00:00:00Z"), in: Self.utc) == Self.at("2026-12-13T12:00:00Z"), "7 is Sunday too")
        let list = try CronExpression("5,10 0 1 jan,jul *")
        #expect(list.next(after: Self.at("2026-01-01T00:05:00Z"), in: Self.utc) == Self.at("2026-01-01T00:10:00Z"))
        #expect(list.next(after: Self.at("2026-01-01T00:10:00Z"), in: Self.utc) == Self.at("2026-07-01T00:05:00Z"))
    }

    @Test func eitherRestrictedDayFieldMatches() throws {
        // The 13th of the month or any Friday, as cron reads it.
        let cron = try CronExpression("0 0 13 * fri")
        #expect(cron.next(after: Self.at("2026-11-09T00:00:00Z"), in: Self.utc) == Self.at("2026-11-13T00:00:00Z"))
        #expect(cron.next(after: Self.at("2026-12-05T00:00:00Z"), in: Self.utc) == Self.at("2026-12-11T00:00:00Z"), "a Friday")
        #expect(cron.next(after: Self.at("2026-12-11T00:00:00Z"), in: Self.utc) == Self.at("2026-12-13T00:00:00Z"), "the 13th, a Sunday")
    }

    @Test(arguments: [
        ("* * * *", "5 fields"), ("61 * * * *", "outside 0–59"), ("* 24 * * *", "outside 0–23"),
        ("5-1 * * * *", "runs backwards"), ("*/0 * * * *", "positive number"), ("* * * foo *", "not a number or a name"),
        ("1,,2 * * * *", "empty list element"), ("* * 0 * *", "outside 1–31"), ("1/2/3 * * * *", "more than one '/'"),
    ])
    func refusesWhatIsNotCronNamingTheField(text: String, reason: String) {
        do {
            _ = try CronExpression(text)
            Issue.record("\"\(text)\" was accepted")
        } catch let error as HarmoniaError {
            #expect(error.code == .invalidSchedule)
            #expect(error.message.contains(reason), "\(error.message)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func followsTheTimeZone() throws {
        let nine = try CronExpression("0 9 * * *")
        #expect(nine.next(after: Self.at("2026-06-01T12:00:00Z"), in: Self.newYork) == Self.at("2026-06-01T13:00:00Z"), "09:00 EDT")
        #expect(nine.next(after: Self.at("2026-12-01T12:00:00Z"), in: Self.newYork) == Self.at("2026-12-01T14:00:00Z"), "09:00 EST")
    }

    /// New York springs forward on 2026-03-08 at 02:00 → 03:00: 02:30 does not exist that day.
    @Test func aSkippedLocalTimeRunsOnceWhenTheClockJumps() throws {
        let cron = try CronExpression("30 2 * * *")
        let jump = cron.next(after: Self.at("2026-03-07T12:00:00Z"), in: Self.newYork)
        #expect(jump == Self.at("2026-03-08T07:00:00Z"), "03:00 EDT, the instant the clock jumps")
        #expect(cron.next(after: jump!, in: Self.newYork) == Self.at("2026-03-09T06:30:00Z"), "02:30 EDT the next day")
        // Every minute of the skipped hour maps to the jump once, not sixty times.
        let everyMinute = try CronExpression("* 2 * * *")
        let first = everyMinute.next(after: Self.at("2026-03-08T06:00:00Z"), in: Self.newYork)
        #expect(first == Self.at("2026-03-08T07:00:00Z"))
        #expect(everyMinute.next(after: first!, in: Self.newYork) == Self.at("2026-03-09T06:00:00Z"))
    }

    /// New York falls back on 2026-11-01 at 02:00 EDT → 01:00 EST: 01:30 happens twice.
    @Test func aRepeatedLocalTimeRunsOnceAtItsFirstOccurrence() throws {
        let cron = try CronExpression("30 1 * * *")
        let first = cron.next(after: Self.at("2026-10-31T12:00:00Z"), in: Self.newYork)
        #expect(first == Self.at("2026-11-01T05:30:00Z"), "01:30 EDT")
        #expect(cron.next(after: first!, in: Self.newYork) == Self.at("2026-11-02T06:30:00Z"), "not 01:30 EST the same night")
        let hourly = try CronExpression("@hourly")
        #expect(hourly.next(after: Self.at("2026-11-01T05:00:00Z"), in: Self.newYork) == Self.at("2026-11-01T07:00:00Z"))
    }

    @Test func aDateThatNeverComesHasNoNextTime() throws {
        #expect(try CronExpression("0 0 30 2 *").next(after: Self.at("2026-01-01T00:00:00Z"), in: Self.utc) == nil)
        #expect(try CronExpression("0 0 29 2 *").next(after: Self.at("2026-01-01T00:00:00Z"), in: Self.utc) == Self.at("2028-02-29T00:00:00Z"))
    }
}

import Foundation

/// A five-field cron expression (`minute hour day-of-month month day-of-week`), as Vixie
/// cron reads it, evaluated in an IANA time zone.
///
/// Fields take `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, lists `a,b`, month
/// names `jan`–`dec` and weekday names `sun`–`sat` (0 and 7 are both Sunday); the macros
/// `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight` and `@hourly` stand
/// for their usual expressions. When both day fields are restricted a day matches if
/// either does (cron's rule).
///
/// Daylight saving: a local time skipped by a spring-forward change runs once, at the
/// instant the clock jumps (a daily 02:30 job still runs that day, at 03:00); a local time
/// that happens twice in a fall-back change runs once, at its first occurrence.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The text as given.
    public let description: String
    let minutes: [Int]
    let hours: [Int]
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    let daysOfWeek: Set<Int>
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]
    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    /// Parses `text`; `invalid_schedule` names the field and what is wrong with it.
    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let expanded = Self.macros[trimmed.lowercased()] ?? trimmed
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw HarmoniaError(
                .invalidSchedule,
                "a cron expression has 5 fields (minute hour day-of-month month day-of-week), got \(fields.count) in \"\(text)\"",
                path: "cron")
        }
        description = trimmed
        minutes = try Self.field(fields[0], name: "minute", range: 0...59).sorted()
        hours = try Self.field(fields[1], name: "hour", range: 0...23).sorted()
        daysOfMonth = try Self.field(fields[2], name: "day-of-month", range: 1...31)
        months = try Self.field(fields[3], name: "month", range: 1...12, names: Self.monthNames, firstName: 1)
        var weekdays = try Self.field(fields[4], name: "day-of-week", range: 0...7, names: Self.dayNames, firstName: 0)
        if weekdays.remove(7) != nil { weekdays.insert(0) }
        daysOfWeek = weekdays
        dayOfMonthRestricted = !fields[2].hasPrefix("*")
        dayOfWeekRestricted = !fields[4].hasPrefix("*")
    }

    /// The values one field allows.
    static func field(
        _ text: String, name: String, range: ClosedRange<Int>, names: [String] = [], firstName: Int = 0
    ) throws -> Set<Int> {
        func problem(_ what: String) -> HarmoniaError {
            HarmoniaError(.invalidSchedule, "cron \(name) field \"\(text)\": \(what)", path: "cron")
        }
        func value(_ token: Substring) throws -> Int {
            if let number = Int(token) {
                guard range.contains(number) else { throw problem("\(number) is outside \(range.lowerBound)–\(range.upperBound)") }
                return number
            }
            if let index = names.firstIndex(of: token.lowercased()) { return index + firstName }
            throw problem("\"\(token)\" is not a number\(names.isEmpty ? "" : " or a name")")
        }
        var values: Set<Int> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !part.isEmpty else { throw problem("an empty list element") }
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw problem("more than one '/' in \"\(part)\"") }
            var step = 1
            if pieces.count == 2 {
                guard let s = Int(pieces[1]), s > 0 else { throw problem("the step \"\(pieces[1])\" must be a positive number") }
                step = s
            }
            let span: ClosedRange<Int>
            if pieces[0] == "*" {
                span = range
            } else if let dash = pieces[0].firstIndex(of: "-") {
                let low = try value(pieces[0][..<dash])
                let high = try value(pieces[0][pieces[0].index(after: dash)...])
                guard low <= high else { throw problem("the range \(pieces[0]) runs backwards") }
                span = low...high
            } else {
                let single = try value(pieces[0])
                span = single...(pieces.count == 2 ? range.upperBound : single)
            }
            values.formUnion(stride(from: span.lowerBound, through: span.upperBound, by: step))
        }
        return values
    }

    /// The first time strictly after `date` that the expression names, in `timeZone`; nil
    /// when none comes within `years` (say `0 0 30 2 *`, which never happens).
    public func next(after date: Date, in timeZone: TimeZone, years: Int = 8) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let after = date.timeIntervalSince1970
        // Local wall-clock time of `date`, as seconds of a UTC calendar (no DST there).
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let localNow = after + Double(timeZone.secondsFromGMT(for: date))
        var day = utc.startOfDay(for: Date(timeIntervalSince1970: localNow - 86_400))
        let lastDay = day.addingTimeInterval(Double(years) * 366 * 86_400)
        while day <= lastDay {
            let parts = utc.dateComponents([.year, .month, .day, .weekday], from: day)
            if months.contains(parts.month!), dayMatches(dayOfMonth: parts.day!, weekday: parts.weekday! - 1) {
                for hour in hours {
                    for minute in minutes {
                        let wall = day.timeIntervalSince1970 + Double(hour * 3600 + minute * 60)
                        if let instant = Self.instant(ofWall: wall, in: timeZone), instant > after {
                            return Date(timeIntervalSince1970: instant)
                        }
                    }
                }
            }
            day = day.addingTimeInterval(86_400)
        }
        return nil
    }

    func dayMatches(dayOfMonth: Int, weekday: Int) -> Bool {
        let byMonth = daysOfMonth.contains(dayOfMonth)
        let byWeek = daysOfWeek.contains(weekday)
        if dayOfMonthRestricted && dayOfWeekRestricted { return byMonth || byWeek }
        return byMonth && byWeek
    }

    /// The instant (seconds since 1970) at which local wall-clock time `wall` (seconds of a
    /// UTC calendar) happens in `timeZone`: its first occurrence when it happens twice, and
    /// the end of the gap (the instant the clock jumps) when a change skips it.
    static func instant(ofWall wall: Double, in timeZone: TimeZone) -> Double? {
        let before = Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: wall - 86_400)))
        let after = Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: wall + 86_400)))
        let candidates = Set([wall - before, wall - after]).sorted()
        for candidate in candidates where candidate + Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: candidate))) == wall {
            return candidate
        }
        // Skipped by a spring-forward change: the clock jumps at the transition.
        let searchFrom = Date(timeIntervalSince1970: wall - max(before, after) - 86_400)
        guard let jump = timeZone.nextDaylightSavingTimeTransition(after: searchFrom) else { return nil }
        return jump.timeIntervalSince1970
    }
}

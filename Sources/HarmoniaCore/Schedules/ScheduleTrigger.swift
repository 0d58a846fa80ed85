import Foundation

/// When a schedule is due: a cron expression read in an IANA time zone, or a fixed interval.
///
/// Interval due times are counted from an anchor (the schedule's creation, or its last
/// change of interval), `anchor + k × seconds`, so a restart or a slow run never shifts them.
public enum ScheduleTrigger: Sendable, Hashable {
    case cron(CronExpression, timeZone: TimeZone)
    case interval(seconds: Int, anchor: Date)

    /// The shortest interval accepted. One second is the resolution of the due times the
    /// API shows; anything shorter would be a loop, not a schedule.
    public static let minimumIntervalSeconds = 1
    /// The longest interval accepted: 366 days (longer ones belong in a cron expression).
    public static let maximumIntervalSeconds = 31_622_400

    /// The first due time strictly after `date`; nil when the cron expression never matches
    /// again (say `0 0 30 2 *`).
    public func next(after date: Date) -> Date? {
        switch self {
        case .cron(let expression, let timeZone):
            return expression.next(after: date, in: timeZone)
        case .interval(let seconds, let anchor):
            let step = Double(seconds)
            guard date >= anchor else { return anchor }
            let passed = (date.timeIntervalSince(anchor) / step).rounded(.down)
            var due = anchor.addingTimeInterval((passed + 1) * step)
            // Floating point: never answer a time that is not strictly later.
            while due <= date { due = due.addingTimeInterval(step) }
            return due
        }
    }

    /// Up to `count` due times strictly after `date`, in order.
    public func upcoming(after date: Date, count: Int) -> [Date] {
        var times: [Date] = []
        var cursor = date
        while times.count < count, let due = next(after: cursor) {
            times.append(due)
            cursor = due
        }
        return times
    }
}

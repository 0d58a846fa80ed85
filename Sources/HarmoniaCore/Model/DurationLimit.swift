import Foundation

/// The range of every number of seconds Harmonia accepts: timeouts, retry delays,
/// checkpoint intervals, grace periods.
///
/// Why a ceiling at all: a duration becomes a `Date` (stored as integer milliseconds) and a
/// `Task.sleep` (a `Duration` of attoseconds in an `Int128`). `1e21` seconds overflows
/// both: the conversion traps and kills the process, and a deadline that cannot be stored
/// makes every commit of its execution fail. A year is far beyond any real timeout and far
/// inside both representations, so anything longer is refused where it enters (a 400 naming
/// the path) and clamped where it is read back from storage written by an older version.
public enum DurationLimit {
    /// 365 days, in seconds.
    public static let maximumSeconds: Double = 31_536_000

    /// `maximumSeconds` in words for error messages.
    public static let maximumDescription = "31536000 seconds (365 days)"

    /// Whether `seconds` is finite and at most the maximum (the lower bound is the caller's).
    public static func isWithinMaximum(_ seconds: Double) -> Bool {
        seconds.isFinite && seconds <= maximumSeconds
    }

    /// `seconds` brought into `0...maximumSeconds`; NaN becomes 0. For values read back
    /// from storage, which must never crash or wedge the engine.
    public static func clamped(_ seconds: Double) -> Double {
        guard !seconds.isNaN else { return 0 }
        return min(max(seconds, 0), maximumSeconds)
    }
}

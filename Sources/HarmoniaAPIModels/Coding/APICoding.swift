import Foundation

/// The JSON encoder and decoder both ends of the wire use.
///
/// Dates travel as ISO-8601 UTC text with a `Z` and millisecond precision; decoding also
/// accepts whole seconds and numeric offsets, so timestamps written by other clients
/// (Tekton's Python services) still decode. Foundation's built-in `.iso8601` strategy
/// rejects fractional seconds on Linux, which is why the strategies are custom.
public enum APICoding {
    /// An encoder producing the wire format: ISO-8601 dates, unescaped slashes, sorted keys.
    /// `JSONEncoder` is safe to share once configured; responses use this one instead of
    /// configuring a new encoder (and its date closure) per answer.
    public static let encoder: JSONEncoder = makeEncoder()

    /// An encoder producing the wire format: ISO-8601 dates, unescaped slashes.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(formatTimestamp(date))
        }
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }

    /// A decoder reading the wire format; dates with or without fractional seconds.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseTimestamp(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an ISO-8601 timestamp, got \(text)")
            }
            return date
        }
        return decoder
    }

    /// `2025-01-31T12:00:00.123Z`, rounded to the nearest millisecond.
    ///
    /// Rounded the way the store rounds what it keeps, so a value returned straight from
    /// memory (the response to a create) reads the same as the stored one read back later.
    /// Years 1583–9999 are written digit by digit from the day count (every response and
    /// event frame has timestamps, and Foundation's ISO-8601 style took 3 % of the server's
    /// CPU while the bench read event logs); others go through Foundation
    /// (`foundationTimestamp`), which `APICodingTests` checks the fast path against. Before
    /// 1583 Foundation writes Julian dates (its Gregorian calendar has the 1582 reform), so
    /// the day count, which is proleptic Gregorian, would not match it there.
    public static func formatTimestamp(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        guard milliseconds.isFinite, abs(milliseconds) < 1e17 else { return date.formatted(fractionalStyle) }
        let total = Int64(milliseconds)
        let seconds = floorDivide(total, 1000)
        let days = floorDivide(seconds, 86_400)
        let (year, month, day) = civilDate(daysSince1970: days)
        guard (1583...9999).contains(year) else { return foundationTimestamp(date) }
        let secondOfDay = Int(seconds - days * 86_400)
        let fraction = Int(total - seconds * 1000)
        var bytes = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int, at offset: Int, digits: Int) {
            var value = value
            for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                bytes[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(Int(year), at: 0, digits: 4)
        bytes[4] = UInt8(ascii: "-")
        put(month, at: 5, digits: 2)
        bytes[7] = UInt8(ascii: "-")
        put(day, at: 8, digits: 2)
        bytes[10] = UInt8(ascii: "T")
        put(secondOfDay / 3600, at: 11, digits: 2)
        bytes[13] = UInt8(ascii: ":")
        put(secondOfDay / 60 % 60, at: 14, digits: 2)
        bytes[16] = UInt8(ascii: ":")
        put(secondOfDay % 60, at: 17, digits: 2)
        bytes[19] = UInt8(ascii: ".")
        put(fraction, at: 20, digits: 3)
        bytes[23] = UInt8(ascii: "Z")
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `formatTimestamp` through Foundation's ISO-8601 style: the reference for the fast
    /// path, and the path for years it does not write.
    static func foundationTimestamp(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        guard milliseconds.isFinite, abs(milliseconds) < 1e17 else { return date.formatted(fractionalStyle) }
        let total = Int64(milliseconds)
        let seconds = floorDivide(total, 1000)
        let fraction = Int(total - seconds * 1000)
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(wholeSecondStyle)
        let digits = String(fraction)
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : (value - divisor + 1) / divisor
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's
    /// `civil_from_days`).
    private static func civilDate(daysSince1970 days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// Parses an ISO-8601 timestamp with or without fractional seconds; nil when malformed.
    public static func parseTimestamp(_ text: String) -> Date? {
        if let date = try? fractionalStyle.parse(text) { return date }
        return try? wholeSecondStyle.parse(text)
    }

    private static let fractionalStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
    private static let wholeSecondStyle = Date.ISO8601FormatStyle(timeZone: .gmt)
}

import Foundation

/// The JSON encoder and decoder both ends of the wire use.
///
/// Dates travel as ISO-8601 UTC text with a `Z` and millisecond precision; decoding also
/// accepts whole seconds and numeric offsets, so timestamps written by other clients
/// (Tekton's Python services) still decode. Foundation's built-in `.iso8601` strategy
/// rejects fractional seconds on Linux, which is why the strategies are custom.
public enum APICoding {
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
    public static func formatTimestamp(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        guard milliseconds.isFinite, abs(milliseconds) < 1e17 else { return date.formatted(fractionalStyle) }
        let total = Int64(milliseconds)
        let seconds = total >= 0 ? total / 1000 : (total - 999) / 1000
        let fraction = Int(total - seconds * 1000)
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(wholeSecondStyle)
        let digits = String(fraction)
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// Parses an ISO-8601 timestamp with or without fractional seconds; nil when malformed.
    public static func parseTimestamp(_ text: String) -> Date? {
        if let date = try? fractionalStyle.parse(text) { return date }
        return try? wholeSecondStyle.parse(text)
    }

    private static let fractionalStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
    private static let wholeSecondStyle = Date.ISO8601FormatStyle(timeZone: .gmt)
}

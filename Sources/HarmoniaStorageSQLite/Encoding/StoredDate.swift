import Foundation
import HarmoniaCore

/// Dates as INTEGER milliseconds since the Unix epoch.
///
/// Integers rather than REAL seconds because `Date` counts from 2001 internally, so a REAL
/// column in Unix seconds can lose the last bit in the conversion and not read back equal;
/// a millisecond integer reads back to exactly the same `Date` every time. Precision below
/// a millisecond is dropped, which is documented as the store's contract.
enum StoredDate {
    /// Milliseconds since 1970, rounded to the nearest. Throws for dates no integer holds.
    static func milliseconds(_ date: Date) throws -> Int64 {
        let ms = (date.timeIntervalSince1970 * 1000).rounded()
        guard let value = Int64(exactly: ms) else {
            throw HarmoniaError(.storageFailure, "date \(date.timeIntervalSince1970) cannot be stored")
        }
        return value
    }

    static func milliseconds(_ date: Date?) throws -> Int64? {
        guard let date else { return nil }
        return try milliseconds(date)
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    static func date(_ milliseconds: Int64?) -> Date? {
        milliseconds.map(date)
    }
}

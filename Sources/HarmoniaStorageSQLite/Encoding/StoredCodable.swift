import Foundation
import HarmoniaCore

/// A Codable value as the TEXT JSON of one column: sorted keys, dates as integer
/// milliseconds like every date column. Shared by the stored definitions and templates.
enum StoredCodable {
    /// `value` as stored text; `what` names it in the error (`workflow wf-1`).
    static func text<Value: Encodable>(_ value: Value, what: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(try StoredDate.milliseconds(date))
        }
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch let error as HarmoniaError {
            throw error
        } catch {
            throw HarmoniaError(.storageFailure, "\(what) cannot be encoded: \(error)")
        }
    }

    /// Stored text back as a value; `what` names it in the error (`workflow definition`).
    static func value<Value: Decodable>(_ type: Value.Type, from text: String, what: String) throws -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            StoredDate.date(try decoder.singleValueContainer().decode(Int64.self))
        }
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw HarmoniaError(.storageFailure, "stored \(what) does not decode: \(error)")
        }
    }
}

import Foundation
import HarmoniaCore

/// Workflow definitions as TEXT JSON, through their Codable conformance.
///
/// Codable rather than a hand-written mapping so fields added to `WorkflowDefinition` later
/// are stored without touching this module. Dates inside are integer milliseconds, like
/// every date column. Known limit: Foundation's JSON coders write a whole `Double` such as
/// `3.0` as `3`, so a `JSONValue.double(3.0)` inside a definition reads back as `.integer(3)`.
enum StoredDefinition {
    static func text(_ definition: WorkflowDefinition) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(try StoredDate.milliseconds(date))
        }
        do {
            return String(decoding: try encoder.encode(definition), as: UTF8.self)
        } catch let error as HarmoniaError {
            throw error
        } catch {
            throw HarmoniaError(.storageFailure, "workflow \(definition.id) cannot be encoded: \(error)")
        }
    }

    static func definition(_ text: String) throws -> WorkflowDefinition {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            StoredDate.date(try decoder.singleValueContainer().decode(Int64.self))
        }
        do {
            return try decoder.decode(WorkflowDefinition.self, from: Data(text.utf8))
        } catch {
            throw HarmoniaError(.storageFailure, "stored workflow definition does not decode: \(error)")
        }
    }
}

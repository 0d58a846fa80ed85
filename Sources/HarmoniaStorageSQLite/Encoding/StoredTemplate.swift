import Foundation
import HarmoniaCore

/// Templates as TEXT JSON through their Codable conformance, dates as integer milliseconds
/// like every date column (see `StoredDefinition` for why Codable and for the `3.0` caveat).
enum StoredTemplate {
    static func text(_ template: WorkflowTemplate) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(try StoredDate.milliseconds(date))
        }
        do {
            return String(decoding: try encoder.encode(template), as: UTF8.self)
        } catch let error as HarmoniaError {
            throw error
        } catch {
            throw HarmoniaError(.storageFailure, "template \(template.id) cannot be encoded: \(error)")
        }
    }

    static func template(_ text: String) throws -> WorkflowTemplate {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            StoredDate.date(try decoder.singleValueContainer().decode(Int64.self))
        }
        do {
            return try decoder.decode(WorkflowTemplate.self, from: Data(text.utf8))
        } catch {
            throw HarmoniaError(.storageFailure, "stored template does not decode: \(error)")
        }
    }
}

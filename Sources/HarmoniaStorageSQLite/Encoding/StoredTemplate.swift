import Foundation
import HarmoniaCore

/// Templates as TEXT JSON through their Codable conformance, dates as integer milliseconds
/// like every date column (see `StoredDefinition` for why Codable and for the `3.0` caveat).
enum StoredTemplate {
    static func text(_ template: WorkflowTemplate) throws -> String {
        try StoredCodable.text(template, what: "template \(template.id)")
    }

    static func template(_ text: String) throws -> WorkflowTemplate {
        try StoredCodable.value(WorkflowTemplate.self, from: text, what: "template")
    }
}

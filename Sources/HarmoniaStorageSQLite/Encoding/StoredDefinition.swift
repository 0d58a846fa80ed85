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
        try StoredCodable.text(definition, what: "workflow \(definition.id)")
    }

    static func definition(_ text: String) throws -> WorkflowDefinition {
        try StoredCodable.value(WorkflowDefinition.self, from: text, what: "workflow definition")
    }
}

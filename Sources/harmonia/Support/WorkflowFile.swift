import Foundation
import HarmoniaCore

/// Reads a workflow definition file (JSON or YAML) into the JSON value the API accepts.
enum WorkflowFile {
    static func load(path: String) throws -> JSONValue {
        .object(try DocumentFile.object(path: path, what: "workflow"))
    }
}

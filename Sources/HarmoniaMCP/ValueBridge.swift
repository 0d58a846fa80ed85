import Foundation
import HarmoniaCore
import MCP

/// Converts between Harmonia's `JSONValue` and the MCP SDK's `Value`, through their JSON
/// forms (both are `Codable`), so neither module needs to know the other's cases.
enum ValueBridge {
    static func value(_ json: JSONValue) -> Value {
        (try? JSONDecoder().decode(Value.self, from: Data(json.jsonBytes()))) ?? .null
    }

    static func json(_ value: Value) -> JSONValue {
        guard let data = try? JSONEncoder().encode(value), let parsed = try? JSONValue.parse(Array(data)) else { return .null }
        return parsed
    }

    static func json(_ arguments: [String: Value]?) -> [String: JSONValue] {
        (arguments ?? [:]).mapValues(json)
    }
}

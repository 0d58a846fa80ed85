import Foundation

/// Reading an action's input: required and optional fields, with `invalid_input` errors
/// that name the action and the field.
extension AdapterCall {
    /// A required non-empty string field.
    public func requiredString(_ key: String) throws -> String {
        guard let value = input[key]?.stringValue, !value.isEmpty else {
            throw AdapterError.invalidInput("\(component).\(action) needs `\(key)`: a non-empty string")
        }
        return value
    }

    /// An optional string field; present but of another type is an error.
    public func optionalString(_ key: String) throws -> String? {
        guard let value = input[key], !value.isNull else { return nil }
        guard let string = value.stringValue else {
            throw AdapterError.invalidInput("\(component).\(action): `\(key)` must be a string")
        }
        return string
    }

    /// An optional number field; present but of another type is an error.
    public func optionalNumber(_ key: String) throws -> Double? {
        guard let value = input[key], !value.isNull else { return nil }
        guard let number = value.doubleValue else {
            throw AdapterError.invalidInput("\(component).\(action): `\(key)` must be a number")
        }
        return number
    }

    /// The input fields named in `keys` that are present and not null, for passing through.
    public func passThrough(_ keys: [String]) -> [String: PluginJSON] {
        var object: [String: PluginJSON] = [:]
        for key in keys {
            if let value = input[key], !value.isNull { object[key] = value }
        }
        return object
    }
}

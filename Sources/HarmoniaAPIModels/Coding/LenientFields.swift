import HarmoniaCore

/// Reads request fields whether the client spelled them `snake_case` or `camelCase`.
///
/// Tekton's clients are inconsistent (`workflow_id`, `workflowId`, `workflowID` all occur),
/// and the contract says requests accept both, so request types decode from a `JSONValue`
/// through this instead of through synthesized `Codable` keys.
public struct LenientFields: Sendable {
    /// The request object's members.
    public let members: [String: JSONValue]

    /// Wraps a request body; `invalid_request` when it is not a JSON object.
    public init(_ value: JSONValue, what: String = "request body") throws {
        guard let members = value.objectValue else {
            throw HarmoniaError(.invalidRequest, "the \(what) must be a JSON object, not \(value.typeName)")
        }
        self.members = members
    }

    /// The value under `snakeKey` or one of its camelCase spellings; JSON `null` counts as absent.
    public func value(_ snakeKey: String) -> JSONValue? {
        for key in Self.spellings(of: snakeKey) {
            if let value = members[key], !value.isNull { return value }
        }
        return nil
    }

    /// A string field; `invalid_request` when present with another type.
    public func string(_ snakeKey: String) throws -> String? {
        guard let value = value(snakeKey) else { return nil }
        guard let string = value.stringValue else {
            throw HarmoniaError(.invalidRequest, "'\(snakeKey)' must be a string, not \(value.typeName)", path: snakeKey)
        }
        return string
    }

    /// An integer field; `invalid_request` when present with another type.
    public func integer(_ snakeKey: String) throws -> Int? {
        guard let value = value(snakeKey) else { return nil }
        guard let integer = value.intValue else {
            throw HarmoniaError(.invalidRequest, "'\(snakeKey)' must be an integer, not \(value.typeName)", path: snakeKey)
        }
        return integer
    }

    /// An object field; `invalid_request` when present with another type.
    public func object(_ snakeKey: String) throws -> [String: JSONValue]? {
        guard let value = value(snakeKey) else { return nil }
        guard let object = value.objectValue else {
            throw HarmoniaError(.invalidRequest, "'\(snakeKey)' must be an object, not \(value.typeName)", path: snakeKey)
        }
        return object
    }

    /// `workflow_id` → [`workflow_id`, `workflowId`, `workflowID`].
    static func spellings(of snakeKey: String) -> [String] {
        let parts = snakeKey.split(separator: "_")
        guard parts.count > 1 else { return [snakeKey] }
        let camel = parts[0] + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        var result = [snakeKey, String(camel)]
        if parts.last == "id" {
            result.append(String(camel.dropLast(2)) + "ID")
        }
        return result
    }
}

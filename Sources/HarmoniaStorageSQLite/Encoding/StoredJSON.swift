import HarmoniaCore

/// JSON columns as TEXT in `JSONValue`'s compact, key-sorted form.
///
/// TEXT rather than BLOB so SQLite's json functions (3.40 rejects BLOBs) and people with the
/// sqlite3 shell can read them; the writer and parser are Harmonia's own, which are fast
/// and deterministic and keep integers apart from doubles. Writing goes through
/// `SQLValue(json:)`; this type reads back and defines the shape of stored failures.
enum StoredJSON {
    static func value(_ text: String, column: String) throws -> JSONValue {
        do {
            return try JSONValue.parse(text.utf8)
        } catch {
            throw HarmoniaError(.storageFailure, "stored JSON in \(column) does not parse: \(error)")
        }
    }

    static func optionalValue(_ text: String?, column: String) throws -> JSONValue? {
        guard let text else { return nil }
        return try value(text, column: column)
    }

    static func object(_ text: String, column: String) throws -> [String: JSONValue] {
        guard let object = try value(text, column: column).objectValue else {
            throw HarmoniaError(.storageFailure, "stored JSON in \(column) is not an object")
        }
        return object
    }

    // MARK: Failures

    /// A failure as a JSON object; `details` is left out when nil so nil and JSON null differ.
    static func json(failure: TaskFailure) -> JSONValue {
        var object: [String: JSONValue] = [
            "code": .string(failure.code),
            "message": .string(failure.message),
            "retryable": .bool(failure.retryable),
        ]
        if let details = failure.details { object["details"] = details }
        return .object(object)
    }

    static func failure(_ text: String?, column: String) throws -> TaskFailure? {
        guard let text else { return nil }
        let object = try object(text, column: column)
        guard let code = object["code"]?.stringValue, let message = object["message"]?.stringValue,
            let retryable = object["retryable"]?.boolValue
        else {
            throw HarmoniaError(.storageFailure, "stored failure in \(column) lacks code, message or retryable")
        }
        return TaskFailure(code: code, message: message, retryable: retryable, details: object["details"])
    }
}

import HarmoniaCore

/// A statement argument of the write path: NULL, an integer or UTF-8 text, nothing else.
///
/// A plain enum instead of GRDB's `StatementArguments` because building and binding those
/// costs more than SQLite's own work on this path (generic key-path mapping, per-argument
/// closures); see `FastStatement`.
enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)
    /// UTF-8 text kept as bytes: JSON goes from `JSONValue.jsonBytes()` to SQLite without
    /// an intermediate (validated, copied) `String`.
    case utf8([UInt8])

    init(_ value: String) { self = .text(value) }
    init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
    init(_ value: Int64) { self = .integer(value) }
    init(_ value: Int64?) { self = value.map(SQLValue.integer) ?? .null }
    init(_ value: Int) { self = .integer(Int64(value)) }
    /// A JSON column, in `StoredJSON`'s form.
    init(json value: JSONValue) { self = .utf8(value.jsonBytes()) }
    init(json value: JSONValue?) { self = value.map { SQLValue(json: $0) } ?? .null }
    init(json object: [String: JSONValue]) { self = .utf8(JSONValue.object(object).jsonBytes()) }
    init(json failure: TaskFailure?) { self = failure.map { SQLValue(json: StoredJSON.json(failure: $0)) } ?? .null }
}

/// A statement argument of the write path: the only three SQLite types it ever binds.
///
/// A plain enum instead of GRDB's `StatementArguments` because building and binding those
/// costs more than SQLite's own work on this path (generic key-path mapping, per-argument
/// closures); see `FastStatement`.
enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)

    init(_ value: String) { self = .text(value) }
    init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
    init(_ value: Int64) { self = .integer(value) }
    init(_ value: Int64?) { self = value.map(SQLValue.integer) ?? .null }
    init(_ value: Int) { self = .integer(Int64(value)) }
}

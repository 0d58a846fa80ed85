import HarmoniaJSON

/// Why bytes are not JSON; the message names the line, the column and the path.
public struct PluginJSONError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension PluginJSON: JSONTree {
    public init(jsonNode: JSONNode<PluginJSON>) {
        switch jsonNode {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .integer(let i): self = .integer(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a)
        case .object(let o): self = .object(o)
        }
    }

    public var jsonNode: JSONNode<PluginJSON> {
        switch self {
        case .null: .null
        case .bool(let b): .bool(b)
        case .integer(let i): .integer(i)
        case .double(let d): .double(d)
        case .string(let s): .string(s)
        case .array(let a): .array(a)
        case .object(let o): .object(o)
        }
    }
}

extension PluginJSON {
    /// Parses JSON bytes with the server's own strict RFC 8259 parser (`HarmoniaJSON`):
    /// invalid UTF-8, duplicate keys and out-of-range numbers are refused, nesting is
    /// bounded by `maxDepth`.
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = 256) throws -> PluginJSON {
        do {
            return try StrictJSONParser<PluginJSON>.parse(Array(bytes), maxDepth: maxDepth)
        } catch {
            throw PluginJSONError(message: error.description)
        }
    }

    /// Parses JSON text.
    public static func parse(_ text: String, maxDepth: Int = 256) throws -> PluginJSON {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }
}

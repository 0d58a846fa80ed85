import HarmoniaJSON

/// `JSONValue` is read and written by the shared strict parser and writer (`HarmoniaJSON`),
/// the same code adapters use for `PluginJSON`.
extension JSONValue: JSONTree {
    public init(jsonNode: JSONNode<JSONValue>) {
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

    public var jsonNode: JSONNode<JSONValue> {
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

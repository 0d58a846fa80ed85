import HarmoniaJSON

/// A JSON value type of the tests' own, so the parser is tested through its generic
/// interface exactly as the server's `JSONValue` and the SDK's `PluginJSON` use it.
indirect enum Tree: JSONTree, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int)
    case double(Double)
    case string(String)
    case array([Tree])
    case object([String: Tree])

    init(jsonNode: JSONNode<Tree>) {
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

    var jsonNode: JSONNode<Tree> {
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

    var description: String { String(decoding: CompactJSONWriter.bytes(self), as: UTF8.self) }

    static func parse(_ bytes: [UInt8], maxDepth: Int = 256) throws(JSONSyntaxError) -> Tree {
        try StrictJSONParser<Tree>.parse(bytes, maxDepth: maxDepth)
    }

    static func parse(_ text: String, maxDepth: Int = 256) throws(JSONSyntaxError) -> Tree {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }
}

/// A JSON value as it crosses the plugin boundary: action input, output, configuration,
/// manifest schemas.
///
/// The SDK has its own small JSON type because no Swift type of the server may cross the
/// C ABI (the server's modules exist a second time, with other type identities, inside
/// every adapter). Integers and doubles are kept apart so an integer input stays `3`.
public enum PluginJSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int)
    case double(Double)
    case string(String)
    case array([PluginJSON])
    case object([String: PluginJSON])
}

extension PluginJSON {
    /// An empty object, the neutral input and output.
    public static let emptyObject: PluginJSON = .object([:])

    /// The object's members, or nil when this is not an object.
    public var objectValue: [String: PluginJSON]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The array's elements, or nil when this is not an array.
    public var arrayValue: [PluginJSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The string, or nil when this is not a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The boolean, or nil when this is not a boolean.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The number as a Double (integers convert), or nil when this is not a number.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The number as an Int when it is integral, or nil.
    public var intValue: Int? {
        switch self {
        case .integer(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e15: return Int(d)
        default: return nil
        }
    }

    /// True for `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Member lookup on an object; nil for a missing key or a non-object.
    public subscript(key: String) -> PluginJSON? {
        objectValue?[key]
    }

    /// Element lookup on an array; nil out of range or for a non-array.
    public subscript(index: Int) -> PluginJSON? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }
}

extension PluginJSON: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: PluginJSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, PluginJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

/// One level of a JSON value: what the parser builds and the writer reads, for any value
/// type with JSON's shape (`JSONValue` in the server, `PluginJSON` in adapters).
///
/// The server and every adapter each have their own value type, because no Swift type may
/// cross the C ABI (each adapter links its own copy of this module). What they share is this
/// module's parser and writer, so both ends read and write JSON by the same rules.
public enum JSONNode<Value> {
    case null
    case bool(Bool)
    case integer(Int)
    case double(Double)
    case string(String)
    case array([Value])
    case object([String: Value])
}

/// A value type with JSON's shape, readable by `StrictJSONParser` and writable by
/// `CompactJSONWriter`. Integers and doubles are kept apart, so `3` stays an integer.
public protocol JSONTree {
    /// The value made of one level.
    init(jsonNode: JSONNode<Self>)
    /// The value's top level.
    var jsonNode: JSONNode<Self> { get }
}

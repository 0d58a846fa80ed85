/// Splits a `text/event-stream` byte stream into messages (WHATWG framing): `field: value`
/// lines, a blank line ends a message, lines starting with `:` are comments (keepalives).
///
/// Pure and incremental: feed it whatever chunks the network delivers, in any split.
public struct SSEParser: Sendable {
    /// One dispatched message.
    public struct Message: Sendable, Hashable {
        public var id: String?
        public var event: String
        public var data: String
    }

    private var pending: [UInt8] = []
    private var id: String?
    private var event: String?
    private var data: [String] = []
    private var hasData = false
    /// Comment lines seen so far (keepalives), for tests and liveness checks.
    public private(set) var comments = 0

    public init() {}

    /// Consumes `bytes` and returns the messages they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Message] {
        var messages: [Message] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                var line = pending
                pending.removeAll(keepingCapacity: true)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                if let message = process(line: String(decoding: line, as: UTF8.self)) { messages.append(message) }
            } else {
                pending.append(byte)
            }
        }
        return messages
    }

    private mutating func process(line: String) -> Message? {
        if line.isEmpty {
            defer {
                event = nil
                data = []
                hasData = false
            }
            guard hasData else { return nil }
            return Message(id: id, event: event ?? "message", data: data.joined(separator: "\n"))
        }
        if line.hasPrefix(":") {
            comments += 1
            return nil
        }
        let field: Substring
        var value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            value = line[line.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
        } else {
            field = line[...]
            value = ""
        }
        switch field {
        case "id": id = String(value)
        case "event": event = String(value)
        case "data":
            data.append(String(value))
            hasData = true
        default: break
        }
        return nil
    }
}

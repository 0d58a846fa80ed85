import NIOCore

/// Server-Sent Events framing (the WHATWG `text/event-stream` format).
enum SSEFormat {
    /// One event: optional `id:`, `event:`, then `data:` lines, then a blank line. The data
    /// is compact JSON, so it never holds a newline; split anyway so any text stays valid.
    static func frame(id: Int64? = nil, event: String, data: String) -> ByteBuffer {
        var text = ""
        if let id { text += "id: \(id)\n" }
        text += "event: \(event)\n"
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) {
            text += "data: \(line)\n"
        }
        text += "\n"
        return ByteBuffer(string: text)
    }

    /// A comment line, which clients ignore: the keepalive.
    static let keepalive = ByteBuffer(string: ": keepalive\n\n")

    /// Sent first: how long a browser's EventSource waits before reconnecting.
    static func retry(milliseconds: Int) -> ByteBuffer {
        ByteBuffer(string: "retry: \(milliseconds)\n\n")
    }
}

import NIOCore

/// Server-Sent Events framing (the WHATWG `text/event-stream` format).
enum SSEFormat {
    /// One event: optional `id:`, `event:`, then `data:` lines, then a blank line.
    ///
    /// The data is compact JSON, which never holds a line break, so the common case is one
    /// `data:` line written straight into the buffer; only text with CR, LF or CRLF in it is
    /// split (each break starts a new `data:` line, as the SSE grammar reads them back).
    /// Every event of every watched execution passes through here, so it writes bytes
    /// rather than building and splitting a `String`.
    static func frame(id: Int64? = nil, event: String, data: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(data.utf8.count + event.utf8.count + 32)
        if let id {
            buffer.writeStaticString("id: ")
            buffer.writeString(String(id))
            buffer.writeStaticString("\n")
        }
        buffer.writeStaticString("event: ")
        buffer.writeString(event)
        buffer.writeStaticString("\n")
        var text = data  // withUTF8 needs a var; a native string is not copied
        text.withUTF8 { bytes in
            var lineStart = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
                    index += 1
                    continue
                }
                writeDataLine(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[lineStart..<index])), into: &buffer)
                // CRLF is one break, not two.
                if byte == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") {
                    index += 1
                }
                index += 1
                lineStart = index
            }
            writeDataLine(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[lineStart..<bytes.count])), into: &buffer)
        }
        buffer.writeStaticString("\n")
        return buffer
    }

    private static func writeDataLine(_ line: UnsafeRawBufferPointer, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("data: ")
        buffer.writeBytes(line)
        buffer.writeStaticString("\n")
    }

    /// A comment line, which clients ignore: the keepalive.
    static let keepalive = ByteBuffer(string: ": keepalive\n\n")

    /// Sent first: how long a browser's EventSource waits before reconnecting.
    static func retry(milliseconds: Int) -> ByteBuffer {
        ByteBuffer(string: "retry: \(milliseconds)\n\n")
    }
}

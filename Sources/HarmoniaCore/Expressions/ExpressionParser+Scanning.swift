extension ExpressionParser {
    /// Runs `body` on the string's UTF-8 bytes, copying only when the string is not already
    /// contiguous UTF-8 (native Swift strings always are).
    @inline(__always)
    static func withBytes<R>(of string: String, _ body: (Bytes) throws -> R) rethrows -> R {
        if let result = try string.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = string
        return try copy.withUTF8(body)
    }

    /// Skips ASCII spaces, tabs and line breaks.
    @inline(__always)
    mutating func skipSpaces() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
            default: return
            }
        }
    }

    /// Advances over name bytes.
    @inline(__always)
    mutating func scanName() {
        while index < bytes.count, Self.isNameByte(bytes[index]) { index += 1 }
    }

    /// The text of `bytes[from..<to]`.
    func string(_ from: Int, _ to: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)
    }

    /// The character at `index` quoted for a message, or "the end of the text".
    func describeCurrent() -> String {
        guard index < bytes.count else { return "the end of the text" }
        let tail = string(index, min(index + 4, bytes.count))
        guard let first = tail.unicodeScalars.first else { return "an invalid byte" }
        return "'\(first)'"
    }

    /// A quoted string (`"..."` or `'...'`) with `index` on the opening quote.
    ///
    /// Backslash escapes `\n`, `\t`, `\r`, `\\` and the quotes; any other escaped character is
    /// kept with its backslash, so Windows paths survive.
    mutating func parseQuoted() throws(ExpressionSyntaxError) -> String {
        let quote = bytes[index]
        let open = index
        index += 1
        var runStart = index
        var out: [UInt8] = []
        var sawEscape = false
        while index < bytes.count {
            let b = bytes[index]
            if b == quote {
                if !sawEscape { let s = string(runStart, index); index += 1; return s }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                index += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\"), index + 1 < bytes.count {
                sawEscape = true
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                let escaped = bytes[index + 1]
                switch escaped {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): out.append(escaped)
                default: out.append(UInt8(ascii: "\\")); out.append(escaped)
                }
                index += 2
                runStart = index
                continue
            }
            index += 1
        }
        throw ExpressionSyntaxError(at: open, "missing closing \(quote == UInt8(ascii: "'") ? "'" : "\"") for the string")
    }
}

/// A strict RFC 8259 parser, one for the server and the adapters alike.
///
/// Our own rather than `JSONSerialization`/`JSONDecoder` because it keeps integers and
/// doubles apart exactly, reports line, column and path of a problem, bounds nesting depth
/// (a hostile body must not exhaust the stack) and costs no Foundation bridging.
///
/// Strict means it refuses, each with a reason: invalid UTF-8 anywhere in a string (nothing
/// is repaired), a duplicate key in an object (RFC 8259 leaves it to the implementation;
/// keeping the last silently hid mistakes), unpaired surrogate escapes, numbers that do not
/// fit a Double (`1e400`), nesting deeper than `maxDepth`, a byte order mark, control
/// characters in strings, and anything after the value but whitespace.
///
/// Generic over the value type and `@inlinable`, so each module gets a specialized copy: the
/// parser is on the hot path of every request body and every stored row.
public struct StrictJSONParser<Value: JSONTree> {
    @usableFromInline let bytes: [UInt8]
    @usableFromInline let maxDepth: Int
    @usableFromInline var index = 0
    @usableFromInline var path: [PathComponent] = []

    @usableFromInline
    enum PathComponent {
        case key(String)
        case index(Int)
    }

    /// Parses one JSON document (RFC 8259 `JSON-text`).
    @inlinable
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 256) throws(JSONSyntaxError) -> Value {
        var parser = StrictJSONParser(bytes: bytes, maxDepth: maxDepth)
        return try parser.parseDocument()
    }

    @inlinable
    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    @inlinable
    mutating func parseDocument() throws(JSONSyntaxError) -> Value {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { throw error("a byte order mark is not allowed") }
        skipWhitespace()
        if index >= bytes.count { throw error("empty document") }
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if index < bytes.count { throw error("unexpected character after the JSON value") }
        return value
    }

    @inlinable
    mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> Value {
        guard depth < maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return Value(jsonNode: .string(try parseString()))
        case UInt8(ascii: "t"): try expectLiteral("true"); return Value(jsonNode: .bool(true))
        case UInt8(ascii: "f"): try expectLiteral("false"); return Value(jsonNode: .bool(false))
        case UInt8(ascii: "n"): try expectLiteral("null"); return Value(jsonNode: .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character '\(printable(bytes[index]))'")
        }
    }

    @inlinable
    mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> Value {
        index += 1
        var result: [String: Value] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return Value(jsonNode: .object(result))
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let keyStart = index
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after key \"\(key)\"") }
            index += 1
            skipWhitespace()
            path.append(.key(key))
            let value = try parseValue(depth: depth + 1)
            path.removeLast()
            if result.updateValue(value, forKey: key) != nil {
                index = keyStart
                throw error("duplicate key \"\(key)\"")
            }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return Value(jsonNode: .object(result))
            default: throw error("expected ',' or '}' in object")
            }
        }
    }

    @inlinable
    mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> Value {
        index += 1
        var result: [Value] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return Value(jsonNode: .array(result))
        }
        while true {
            skipWhitespace()
            path.append(.index(result.count))
            result.append(try parseValue(depth: depth + 1))
            path.removeLast()
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return Value(jsonNode: .array(result))
            default: throw error("expected ',' or ']' in array")
            }
        }
    }

    @inlinable
    mutating func parseString() throws(JSONSyntaxError) -> String {
        let opening = index
        index += 1
        let start = index
        var ascii = true
        // Fast path: no escapes.
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let s = try text(bytes[start..<index], ascii: ascii, at: opening)
                index += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("control character in string") }
            if b >= 0x80 { ascii = false }
            index += 1
        }
        var buffer = Array(bytes[start..<index])
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return try text(buffer[...], ascii: ascii, at: opening)
            }
            if b < 0x20 { throw error("control character in string") }
            if b == UInt8(ascii: "\\") {
                index += 1
                guard index < bytes.count else { break }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): buffer.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u")
                        else { throw error("unpaired surrogate in \\u escape") }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid low surrogate in \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw error("unpaired surrogate in \\u escape")
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                    buffer.append(contentsOf: UTF8.encode(u)!)
                default:
                    index -= 1
                    throw error("invalid escape '\\\(printable(e))'")
                }
                continue
            }
            if b >= 0x80 { ascii = false }
            buffer.append(b)
            index += 1
        }
        throw error("unterminated string")
    }

    /// The string of `utf8`, refusing invalid UTF-8 rather than repairing it (a repaired
    /// string would be stored and echoed back as something the client never sent).
    @inlinable
    func text(_ utf8: ArraySlice<UInt8>, ascii: Bool, at opening: Int) throws(JSONSyntaxError) -> String {
        if ascii { return String(decoding: utf8, as: UTF8.self) }
        guard let s = String(validating: utf8, as: UTF8.self) else {
            var at = self
            at.index = opening
            throw at.error("invalid UTF-8 in string")
        }
        return s
    }

    @inlinable
    mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    @inlinable
    mutating func parseNumber() throws(JSONSyntaxError) -> Value {
        let start = index
        var isInteger = true
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), isDigit(first) else { throw error("invalid number") }
        if first == UInt8(ascii: "0") {
            index += 1
            if let next = peek(), isDigit(next) { throw error("leading zero in number") }
        } else {
            while let d = peek(), isDigit(d) { index += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard let d = peek(), isDigit(d) else { throw error("expected digit after '.'") }
            while let d = peek(), isDigit(d) { index += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if let s = peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { index += 1 }
            guard let d = peek(), isDigit(d) else { throw error("expected digit in exponent") }
            while let d = peek(), isDigit(d) { index += 1 }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let i = Int(text) { return Value(jsonNode: .integer(i)) }
        guard let d = Double(text) else { throw error("invalid number \(text.prefix(40))") }
        // `1e400` parses to infinity, which no JSON value can carry (it was once stored as
        // null in one place and broke a 500 in another), so it is refused here, once.
        guard d.isFinite else {
            index = start
            throw error("number \(text.prefix(40)) is out of range (beyond ±1.8e308)")
        }
        return Value(jsonNode: .double(d))
    }

    @inlinable
    mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end of input") }
        let matches = literal.withUTF8Buffer { $0.elementsEqual(bytes[index..<(index + count)]) }
        guard matches else { throw error("invalid literal") }
        index += count
    }

    @inlinable
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    @inlinable func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }
    @inlinable func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    @inlinable
    func printable(_ b: UInt8) -> String {
        (0x20..<0x7F).contains(b) ? String(UnicodeScalar(b)) : "\\u{\(String(b, radix: 16))}"
    }

    /// The error at the current position. Line and column are counted only here: the
    /// success path never pays for them.
    @inlinable
    func error(_ reason: String) -> JSONSyntaxError {
        var line = 1
        var column = 1
        for b in bytes[..<min(index, bytes.count)] {
            if b == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return JSONSyntaxError(line: line, column: column, path: renderedPath(), reason: reason)
    }

    @inlinable
    func renderedPath() -> String {
        var out = ""
        for component in path {
            switch component {
            case .key(let key):
                if !out.isEmpty { out += "." }
                out += key
            case .index(let i):
                out += "[\(i)]"
            }
        }
        return out
    }
}

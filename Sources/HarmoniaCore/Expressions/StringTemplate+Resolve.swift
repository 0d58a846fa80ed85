extension StringTemplate {
    /// Resolves the `${...}` in `string` in one pass, without building a template: the
    /// dispatch hot path. Nil when the string holds no `${` and stands for itself.
    ///
    /// Same results as `parse` followed by `render`: plain paths go through
    /// `ExpressionContext.quickValue`, anything else (and every failure) through the full
    /// parser and lookup, which produce the precise error.
    static func resolve(_ string: String, in context: ExpressionContext) throws -> JSONValue? {
        try ExpressionParser.withBytes(of: string) { bytes in
            guard containsOpening(bytes) else { return nil }
            let n = bytes.count
            if bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "{"),
                let (value, end) = context.quickValue(bytes, at: 0), end == n
            {
                return value
            }
            var out: [UInt8] = []
            out.reserveCapacity(n + 32)
            var i = 0
            var runStart = 0
            while i < n - 1 {
                guard bytes[i] == UInt8(ascii: "$") else {
                    i += 1
                    continue
                }
                let next = bytes[i + 1]
                if next == UInt8(ascii: "{") {
                    let (value, end) = try context.quickValue(bytes, at: i) ?? fullValue(bytes, at: i, in: context)
                    if i == 0, end == n { return value }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                    splice(value, into: &out)
                    i = end
                    runStart = end
                } else if next == UInt8(ascii: "$"), i + 2 < n, bytes[i + 2] == UInt8(ascii: "{") {
                    // `$${` is a literal `${`: keep one `$`, then continue the run at the `{`.
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...i]))
                    runStart = i + 2
                    i += 3
                } else {
                    i += 1
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<n]))
            return .string(String(decoding: out, as: UTF8.self))
        }
    }

    /// Parses the reference at `start` and looks it up; throws the precise error.
    private static func fullValue(
        _ bytes: UnsafeBufferPointer<UInt8>, at start: Int, in context: ExpressionContext
    ) throws -> (JSONValue, Int) {
        let parsed: (ExpressionReference, Int)
        do throws(ExpressionSyntaxError) {
            parsed = try ExpressionParser.parseBraced(bytes, at: start)
        } catch {
            throw error.harmoniaError(in: bytes, kind: "expression", path: nil)
        }
        return (try context.value(of: parsed.0), parsed.1)
    }

    /// Strings as they are, null as `null`, everything else as compact JSON.
    static func splice(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .string(let s): out.append(contentsOf: s.utf8)
        case .integer(let i): out.append(contentsOf: String(i).utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        default: out.append(contentsOf: value.jsonBytes())
        }
    }
}

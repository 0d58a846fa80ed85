/// A JSON string holding `${...}` references or `$${` escapes, parsed once.
///
/// A string that is exactly one reference keeps the JSON type it resolves to; anything else is
/// spliced into text. Strings without `${` never become templates, which keeps the common
/// case (plain values) to a single byte scan.
enum StringTemplate: Sendable, Hashable {
    /// Exactly one reference and nothing else: resolves to the referenced value, any type.
    case whole(ExpressionReference)
    /// Literal text and references, spliced together into a string.
    case parts([Part])

    /// One piece of a spliced string.
    enum Part: Sendable, Hashable {
        case text(String)
        case reference(ExpressionReference)
    }

    /// Parses `string`; nil when it contains no `${` and so stands for itself.
    /// Errors are `malformed_expression` or `unknown_expression_root` with `path` set to `path`.
    static func parse(_ string: String, path: String?) throws -> StringTemplate? {
        try ExpressionParser.withBytes(of: string) { bytes in
            guard containsOpening(bytes) else { return nil }
            do throws(ExpressionSyntaxError) {
                return try parse(bytes)
            } catch {
                throw error.harmoniaError(in: bytes, kind: "expression", path: path)
            }
        }
    }

    /// True when `bytes` contain `${` (which an escape `$${` also does).
    @inline(__always)
    static func containsOpening(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 2 else { return false }
        var i = 0
        let last = bytes.count - 1
        while i < last {
            if bytes[i] == UInt8(ascii: "$"), bytes[i + 1] == UInt8(ascii: "{") { return true }
            i += 1
        }
        return false
    }

    /// Parses bytes known to contain `${`.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(ExpressionSyntaxError) -> StringTemplate {
        let n = bytes.count
        var parts: [Part] = []
        var text: [UInt8] = []
        var i = 0
        var runStart = 0
        while i < n - 1 {
            guard bytes[i] == UInt8(ascii: "$") else {
                i += 1
                continue
            }
            let next = bytes[i + 1]
            if next == UInt8(ascii: "{") {
                let (reference, end) = try ExpressionParser.parseBraced(bytes, at: i)
                if i == 0, end == n { return .whole(reference) }
                text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                if !text.isEmpty {
                    parts.append(.text(String(decoding: text, as: UTF8.self)))
                    text.removeAll(keepingCapacity: true)
                }
                parts.append(.reference(reference))
                i = end
                runStart = end
            } else if next == UInt8(ascii: "$"), i + 2 < n, bytes[i + 2] == UInt8(ascii: "{") {
                // `$${` is a literal `${`: keep one `$`, then continue the run at the `{`.
                text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...i]))
                runStart = i + 2
                i += 3
            } else {
                i += 1
            }
        }
        text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<n]))
        if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
        return .parts(parts)
    }

    /// The literal text when the template holds no reference (only escapes), otherwise nil.
    var literalText: String? {
        guard case .parts(let parts) = self else { return nil }
        if parts.isEmpty { return "" }
        if parts.count == 1, case .text(let text) = parts[0] { return text }
        return nil
    }

    /// Resolves the template: the referenced value for `.whole`, otherwise the spliced string.
    func render(in context: ExpressionContext) throws -> JSONValue {
        switch self {
        case .whole(let reference):
            return try context.value(of: reference)
        case .parts(let parts):
            if let literal = literalText { return .string(literal) }
            var out: [UInt8] = []
            for part in parts {
                switch part {
                case .text(let text): out.append(contentsOf: text.utf8)
                case .reference(let reference): Self.splice(try context.value(of: reference), into: &out)
                }
            }
            return .string(String(decoding: out, as: UTF8.self))
        }
    }

    /// Appends the references in order of appearance.
    func collectReferences(into references: inout [ExpressionReference]) {
        switch self {
        case .whole(let reference): references.append(reference)
        case .parts(let parts):
            for case .reference(let reference) in parts { references.append(reference) }
        }
    }
}

/// Scans one reference out of UTF-8 bytes: `${input.items[0]["a b"]}` or, in conditions,
/// the bare form `tasks.check.result`.
///
/// Hand-written over the raw bytes because it runs on every dispatch: no regex, no Foundation,
/// no allocation beyond the keys it returns. Names are letters, digits, `_`, `-` and any
/// non-ASCII character; anything else is written as a quoted key in brackets.
struct ExpressionParser {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// Longest accepted reference, in bytes, so a hostile definition cannot make us scan forever.
    static let maxLength = 4096
    /// Deepest accepted nesting (path segments here, operators in conditions).
    static let maxDepth = 64

    let bytes: Bytes
    var index: Int

    init(_ bytes: Bytes, at index: Int) {
        self.bytes = bytes
        self.index = index
    }

    /// True for bytes that may appear in a name after a dot.
    @inline(__always)
    static func isNameByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return b >= 0x80
        }
    }

    /// Parses `${...}` whose `$` is at `start`; returns the reference and the offset after `}`.
    static func parseBraced(_ bytes: Bytes, at start: Int) throws(ExpressionSyntaxError) -> (ExpressionReference, Int) {
        var p = ExpressionParser(bytes, at: start + 2)
        p.skipSpaces()
        let (root, segments) = try p.parsePath(from: start)
        p.skipSpaces()
        guard p.index < bytes.count else {
            throw ExpressionSyntaxError(at: start, "missing '}' to close '${'")
        }
        guard bytes[p.index] == UInt8(ascii: "}") else {
            throw ExpressionSyntaxError(at: p.index, "unexpected \(p.describeCurrent()), expected '}'")
        }
        let end = p.index + 1
        return (try finish(root, segments, text: p.string(start, end), at: start), end)
    }

    /// Parses a bare path starting at `start`; it ends at the first byte that cannot continue it.
    static func parseBare(_ bytes: Bytes, at start: Int) throws(ExpressionSyntaxError) -> (ExpressionReference, Int) {
        var p = ExpressionParser(bytes, at: start)
        let (root, segments) = try p.parsePath(from: start)
        return (try finish(root, segments, text: p.string(start, p.index), at: start), p.index)
    }

    /// Puts a reference in canonical form and checks what its root requires.
    private static func finish(
        _ root: String, _ segments: [PathSegment], text: String, at start: Int
    ) throws(ExpressionSyntaxError) -> ExpressionReference {
        var segments = segments
        if root == "tasks" {
            guard case .key? = segments.first else {
                throw ExpressionSyntaxError(at: start, "expected a task id after 'tasks', as in ${tasks.<id>.output}")
            }
            if segments.count > 1, case .key("output") = segments[1] { segments.remove(at: 1) }
        } else if root == "env" {
            guard segments.count == 1, case .key = segments[0] else {
                throw ExpressionSyntaxError(at: start, "env takes exactly one name, as in ${env.NAME}")
            }
        }
        return ExpressionReference(root: root, segments: segments, text: text)
    }

    /// Root name, then `.name`, `[n]` or `["key"]` segments. `start` bounds the length.
    private mutating func parsePath(from start: Int) throws(ExpressionSyntaxError) -> (String, [PathSegment]) {
        let rootStart = index
        scanName()
        guard index > rootStart else {
            throw ExpressionSyntaxError(at: index, "expected a root (\(Expressions.rootList)), found \(describeCurrent())")
        }
        let root = string(rootStart, index)
        guard Expressions.isRoot(root) else {
            throw ExpressionSyntaxError(
                .unknownExpressionRoot, at: rootStart,
                "\"\(root)\" is not one of \(Expressions.rootList)")
        }
        var segments: [PathSegment] = []
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: ".") {
                index += 1
                let nameStart = index
                scanName()
                guard index > nameStart else {
                    throw ExpressionSyntaxError(at: nameStart, "expected a name after '.', found \(describeCurrent())")
                }
                segments.append(.key(string(nameStart, index)))
            } else if b == UInt8(ascii: "[") {
                segments.append(try parseBracket())
            } else {
                break
            }
            if segments.count > Self.maxDepth {
                throw ExpressionSyntaxError(at: start, "the path is nested deeper than \(Self.maxDepth) levels")
            }
            if index - start > Self.maxLength {
                throw ExpressionSyntaxError(at: start, "the expression is longer than \(Self.maxLength) characters")
            }
        }
        return (root, segments)
    }

    /// `[3]`, `["key"]` or `['key']`, with `index` on the `[`.
    private mutating func parseBracket() throws(ExpressionSyntaxError) -> PathSegment {
        let open = index
        index += 1
        skipSpaces()
        guard index < bytes.count else { throw ExpressionSyntaxError(at: open, "missing ']' to close '['") }
        let segment: PathSegment
        let b = bytes[index]
        if b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") {
            var value = 0
            let digitsStart = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                guard index - digitsStart < 15 else { throw ExpressionSyntaxError(at: digitsStart, "the index is too large") }
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            segment = .index(value)
        } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
            segment = .key(try parseQuoted())
        } else if b == UInt8(ascii: "-") {
            throw ExpressionSyntaxError(at: index, "array indexes cannot be negative")
        } else {
            throw ExpressionSyntaxError(at: index, "expected an index or a quoted key after '[', found \(describeCurrent())")
        }
        skipSpaces()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "]") else {
            if index >= bytes.count { throw ExpressionSyntaxError(at: open, "missing ']' to close '['") }
            throw ExpressionSyntaxError(at: index, "expected ']', found \(describeCurrent())")
        }
        index += 1
        return segment
    }
}

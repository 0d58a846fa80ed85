/// A syntax problem found while scanning, located by UTF-8 byte offset.
///
/// Scanners only know offsets; the caller that knows the whole text and its JSON path turns
/// this into the `HarmoniaError` users see, with a column counted in characters.
struct ExpressionSyntaxError: Error {
    /// `.malformedExpression` or `.unknownExpressionRoot`.
    var code: HarmoniaError.Code
    /// Byte offset of the problem in the scanned text.
    var offset: Int
    /// What is wrong, in words.
    var reason: String

    init(_ code: HarmoniaError.Code = .malformedExpression, at offset: Int, _ reason: String) {
        self.code = code
        self.offset = offset
        self.reason = reason
    }

    /// The user-facing error: what is wrong, the column, the offending text and the JSON path.
    /// `kind` is "expression" or "condition".
    func harmoniaError(in bytes: UnsafeBufferPointer<UInt8>, kind: String, path: String?) -> HarmoniaError {
        let upTo = UnsafeBufferPointer(rebasing: bytes[0..<min(max(offset, 0), bytes.count)])
        let column = String(decoding: upTo, as: UTF8.self).count + 1
        var text = String(decoding: bytes, as: UTF8.self)
        if text.count > 200 { text = String(text.prefix(200)) + "..." }
        let headline = code == .unknownExpressionRoot ? "unknown expression root" : "malformed \(kind)"
        let path = path?.isEmpty == true ? nil : path
        return HarmoniaError(code, "\(headline) at column \(column) of \"\(text)\": \(reason)", path: path)
    }

    /// The same for a `String` (copies it to contiguous UTF-8 first; error path only).
    func harmoniaError(in source: String, kind: String, path: String?) -> HarmoniaError {
        var source = source
        return source.withUTF8 { harmoniaError(in: $0, kind: kind, path: path) }
    }
}

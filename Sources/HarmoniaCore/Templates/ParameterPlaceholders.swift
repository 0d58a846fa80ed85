/// Finds `${params.NAME}` (or `${param.NAME}`) placeholders in the strings of a template's
/// definition.
///
/// A grammar of its own, much smaller than the expression language, because placeholders
/// are replaced before the definition is decoded at all: they may stand where no expression
/// is allowed (a task id, a timeout, a component name). Every other `${...}` — `${input.x}`,
/// `${tasks.a.output}` — and every `$${` escape is left byte for byte for run time.
enum ParameterPlaceholders {
    /// One piece of a string that holds placeholders.
    enum Piece: Sendable, Hashable {
        case text(String)
        case parameter(String)
    }

    /// A string split at its placeholders.
    struct Scan: Sendable, Hashable {
        var pieces: [Piece]
        /// `${params...}` references that are not exactly `${params.NAME}`, as written.
        var malformed: [String]

        /// The names referenced, in order of appearance, repeats included.
        var names: [String] {
            pieces.compactMap { if case .parameter(let name) = $0 { return name } else { return nil } }
        }

        /// The name when the whole string is one placeholder: the value keeps its JSON type.
        var wholeName: String? {
            if pieces.count == 1, case .parameter(let name) = pieces[0] { return name }
            return nil
        }
    }

    /// Splits `string` at its placeholders; nil when it refers to no parameter at all
    /// (neither well-formed nor malformed), which is the common case and costs one scan.
    static func scan(_ string: String) -> Scan? {
        let bytes = Array(string.utf8)
        let n = bytes.count
        guard n >= 2 else { return nil }
        var pieces: [Piece] = []
        var malformed: [String] = []
        var runStart = 0
        var i = 0
        while i < n - 1 {
            guard bytes[i] == dollar else {
                i += 1
                continue
            }
            if bytes[i + 1] == dollar, i + 2 < n, bytes[i + 2] == openBrace {
                i += 3  // `$${` is the expression language's escape: not ours to touch.
                continue
            }
            guard bytes[i + 1] == openBrace else {
                i += 1
                continue
            }
            switch match(bytes, at: i) {
            case .none:
                i += 2
            case .placeholder(let name, let end):
                if runStart < i { pieces.append(.text(text(bytes[runStart..<i]))) }
                pieces.append(.parameter(name))
                i = end
                runStart = end
            case .malformed(let end):
                malformed.append(text(bytes[i..<end]))
                i = end
            }
        }
        guard pieces.contains(where: { if case .parameter = $0 { true } else { false } }) || !malformed.isEmpty else {
            return nil
        }
        if runStart < n { pieces.append(.text(text(bytes[runStart..<n]))) }
        return Scan(pieces: pieces, malformed: malformed)
    }

    /// Whether `name` is a valid parameter name: ASCII letters, digits, `_` and `-`, not
    /// starting with a digit or `-` (so it reads unambiguously inside `${params.NAME}`).
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isLetter(first) || first == underscore else { return false }
        return name.utf8.allSatisfy(isNameByte)
    }

    private enum Match {
        case none
        case placeholder(String, end: Int)
        case malformed(end: Int)
    }

    /// What the `${` at `start` opens: not a parameter reference, a placeholder, or a
    /// parameter reference of the wrong shape (`${params}`, `${params.a.b}`, `${param.}`).
    private static func match(_ bytes: [UInt8], at start: Int) -> Match {
        let n = bytes.count
        var j = start + 2
        skipSpaces(bytes, &j)
        let rootStart = j
        while j < n, isNameByte(bytes[j]) { j += 1 }
        let root = text(bytes[rootStart..<j])
        guard root == "params" || root == "param" else { return .none }
        // From here on the reference is a parameter's; anything but `.NAME}` is malformed,
        // reported up to its closing brace.
        let malformedEnd = bytes[j...].firstIndex(of: closeBrace).map { $0 + 1 } ?? n
        guard j < n, bytes[j] == dot else { return .malformed(end: malformedEnd) }
        j += 1
        let nameStart = j
        while j < n, isNameByte(bytes[j]) { j += 1 }
        let name = text(bytes[nameStart..<j])
        skipSpaces(bytes, &j)
        guard isValidName(name), j < n, bytes[j] == closeBrace else { return .malformed(end: malformedEnd) }
        return .placeholder(name, end: j + 1)
    }

    private static func skipSpaces(_ bytes: [UInt8], _ j: inout Int) {
        while j < bytes.count, bytes[j] == space || bytes[j] == tab { j += 1 }
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    private static func isLetter(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        isLetter(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == underscore || b == UInt8(ascii: "-")
    }

    private static let dollar = UInt8(ascii: "$")
    private static let openBrace = UInt8(ascii: "{")
    private static let closeBrace = UInt8(ascii: "}")
    private static let dot = UInt8(ascii: ".")
    private static let underscore = UInt8(ascii: "_")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
}

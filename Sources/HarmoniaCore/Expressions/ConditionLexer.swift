/// Splits a condition into tokens, scanning UTF-8 bytes by hand.
///
/// Paths reuse `ExpressionParser`, so `input.items[0]` and `${input.items[0]}` mean the same
/// in a condition as in a task input. Quoted strings may hold `${...}` and are templates.
struct ConditionLexer {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    let bytes: Bytes
    var index = 0
    var tokens: [ConditionToken] = []

    static func tokenize(_ bytes: Bytes) throws(ExpressionSyntaxError) -> [ConditionToken] {
        var lexer = ConditionLexer(bytes: bytes)
        try lexer.run()
        return lexer.tokens
    }

    private mutating func run() throws(ExpressionSyntaxError) {
        while true {
            var scanner = ExpressionParser(bytes, at: index)
            scanner.skipSpaces()
            index = scanner.index
            guard index < bytes.count else {
                tokens.append(ConditionToken(kind: .end, start: index, end: index))
                return
            }
            let start = index
            let b = bytes[index]
            let next: UInt8 = index + 1 < bytes.count ? bytes[index + 1] : 0
            switch b {
            case UInt8(ascii: "("): emit(.leftParen, width: 1)
            case UInt8(ascii: ")"): emit(.rightParen, width: 1)
            case UInt8(ascii: "["): emit(.leftBracket, width: 1)
            case UInt8(ascii: "]"): emit(.rightBracket, width: 1)
            case UInt8(ascii: ","): emit(.comma, width: 1)
            case UInt8(ascii: "="):
                guard next == UInt8(ascii: "=") else { throw ExpressionSyntaxError(at: start, "use '==' to compare") }
                emit(.comparison(.equal), width: 2)
            case UInt8(ascii: "!"):
                if next == UInt8(ascii: "=") { emit(.comparison(.notEqual), width: 2) } else { emit(.not, width: 1) }
            case UInt8(ascii: "<"):
                if next == UInt8(ascii: "=") { emit(.comparison(.lessOrEqual), width: 2) } else { emit(.comparison(.less), width: 1) }
            case UInt8(ascii: ">"):
                if next == UInt8(ascii: "=") {
                    emit(.comparison(.greaterOrEqual), width: 2)
                } else {
                    emit(.comparison(.greater), width: 1)
                }
            case UInt8(ascii: "&"):
                guard next == UInt8(ascii: "&") else { throw ExpressionSyntaxError(at: start, "use 'and' or '&&'") }
                emit(.and, width: 2)
            case UInt8(ascii: "|"):
                guard next == UInt8(ascii: "|") else { throw ExpressionSyntaxError(at: start, "use 'or' or '||'") }
                emit(.or, width: 2)
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                try lexString()
            case UInt8(ascii: "$"):
                guard next == UInt8(ascii: "{") else {
                    throw ExpressionSyntaxError(at: start, "unexpected '$'; references are written ${...}")
                }
                let (reference, end) = try ExpressionParser.parseBraced(bytes, at: start)
                index = end
                tokens.append(ConditionToken(kind: .value(.reference(reference)), start: start, end: end))
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try lexNumber()
            default:
                guard ExpressionParser.isNameByte(b) else {
                    throw ExpressionSyntaxError(at: start, "unexpected \(scanner.describeCurrent())")
                }
                try lexWord()
            }
        }
    }

    private mutating func emit(_ kind: ConditionToken.Kind, width: Int) {
        tokens.append(ConditionToken(kind: kind, start: index, end: index + width))
        index += width
    }

    /// A keyword (`and`, `true`, ...) or a bare path (`tasks.check.result`).
    private mutating func lexWord() throws(ExpressionSyntaxError) {
        let start = index
        var scanner = ExpressionParser(bytes, at: start)
        scanner.scanName()
        let word = scanner.string(start, scanner.index)
        let continues = scanner.index < bytes.count
            && (bytes[scanner.index] == UInt8(ascii: ".") || bytes[scanner.index] == UInt8(ascii: "["))
        if !continues {
            let keyword: ConditionToken.Kind?
            switch word {
            case "and": keyword = .and
            case "or": keyword = .or
            case "not": keyword = .not
            case "in": keyword = .in
            case "true": keyword = .value(.literal(.bool(true)))
            case "false": keyword = .value(.literal(.bool(false)))
            case "null": keyword = .value(.literal(.null))
            default: keyword = nil
            }
            if let keyword {
                tokens.append(ConditionToken(kind: keyword, start: start, end: scanner.index))
                index = scanner.index
                return
            }
            let lowered = word.lowercased()
            if ["and", "or", "not", "in", "true", "false", "null"].contains(lowered) {
                throw ExpressionSyntaxError(at: start, "unknown word '\(word)'; did you mean '\(lowered)'?")
            }
            if word == "None" { throw ExpressionSyntaxError(at: start, "unknown word 'None'; did you mean 'null'?") }
        }
        let (reference, end) = try ExpressionParser.parseBare(bytes, at: start)
        tokens.append(ConditionToken(kind: .value(.reference(reference)), start: start, end: end))
        index = end
    }

    /// A quoted string; when it holds `${...}` it is a template.
    private mutating func lexString() throws(ExpressionSyntaxError) {
        let start = index
        var scanner = ExpressionParser(bytes, at: start)
        let content = try scanner.parseQuoted()
        index = scanner.index
        let value = try Self.template(content, start: start)
        tokens.append(ConditionToken(kind: .value(value), start: start, end: index))
    }

    /// The string's value; a problem inside is reported at its place in the condition (exact
    /// unless the string has backslash escapes before it).
    private static func template(_ content: String, start: Int) throws(ExpressionSyntaxError) -> ValueTemplate {
        var content = content
        let parsed: Result<StringTemplate?, ExpressionSyntaxError> = content.withUTF8 { bytes in
            guard StringTemplate.containsOpening(bytes) else { return .success(nil) }
            return Result { () throws(ExpressionSyntaxError) in try StringTemplate.parse(bytes) }
        }
        switch parsed {
        case .success(nil):
            return .literal(.string(content))
        case .success(let template?):
            if let literal = template.literalText { return .literal(.string(literal)) }
            return .string(template)
        case .failure(let error):
            throw ExpressionSyntaxError(error.code, at: start + 1 + error.offset, error.reason)
        }
    }

    /// An integer or decimal literal, optionally negative, with an optional exponent.
    private mutating func lexNumber() throws(ExpressionSyntaxError) {
        let start = index
        var isDouble = false
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        skipDigits()
        guard index > digitsStart else { throw ExpressionSyntaxError(at: start, "expected a number after '-'") }
        if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."), isDigit(bytes[index + 1]) {
            isDouble = true
            index += 1
            skipDigits()
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            var exponent = index + 1
            if exponent < bytes.count, bytes[exponent] == UInt8(ascii: "+") || bytes[exponent] == UInt8(ascii: "-") {
                exponent += 1
            }
            if exponent < bytes.count, isDigit(bytes[exponent]) {
                isDouble = true
                index = exponent
                skipDigits()
            }
        }
        if index < bytes.count, ExpressionParser.isNameByte(bytes[index]) || bytes[index] == UInt8(ascii: ".") {
            throw ExpressionSyntaxError(at: start, "malformed number")
        }
        let text = ExpressionParser(bytes, at: start).string(start, index)
        let value: JSONValue
        if !isDouble, let integer = Int(text) {
            value = .integer(integer)
        } else if let double = Double(text), double.isFinite {
            value = .double(double)
        } else {
            throw ExpressionSyntaxError(at: start, "the number \(text) is out of range")
        }
        tokens.append(ConditionToken(kind: .value(.literal(value)), start: start, end: index))
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
}

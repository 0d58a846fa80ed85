import HarmoniaJSON
import Testing

/// The parser against RFC 8259, case by case, in the categories of the well-known JSON
/// parsing test suites: documents every parser must accept (`accepted`), must refuse
/// (`refused`), and those RFC 8259 leaves to the implementation, where this parser's choice
/// is written down (`implementationDefined`).
struct JSONConformanceTests {
    struct Accepted: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var expected: Tree
        var testDescription: String { name }
        init(_ name: String, _ text: String, _ expected: Tree) {
            self.init(name, Array(text.utf8), expected)
        }
        init(_ name: String, _ bytes: [UInt8], _ expected: Tree) {
            self.name = name
            self.bytes = bytes
            self.expected = expected
        }
    }

    struct Refused: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        /// A part of the reason the error must give.
        var reason: String
        var testDescription: String { name }
        init(_ name: String, _ text: String, _ reason: String) {
            self.init(name, Array(text.utf8), reason)
        }
        init(_ name: String, _ bytes: [UInt8], _ reason: String) {
            self.name = name
            self.bytes = bytes
            self.reason = reason
        }
    }

    static let accepted: [Accepted] = [
        // Structure
        .init("empty object", "{}", .object([:])),
        .init("empty array", "[]", .array([])),
        .init("nested arrays", "[[[]]]", .array([.array([.array([])])])),
        .init("object in array", #"[{"a":1}]"#, .array([.object(["a": .integer(1)])])),
        .init("array of mixed values", #"[1,"a",true,false,null,1.5,{},[]]"#,
            .array([.integer(1), .string("a"), .bool(true), .bool(false), .null, .double(1.5), .object([:]), .array([])])),
        .init("scalar at top level: string", #""top""#, .string("top")),
        .init("scalar at top level: number", "42", .integer(42)),
        .init("scalar at top level: null", "null", .null),
        .init("scalar at top level: true", "true", .bool(true)),
        .init("empty key", #"{"":0}"#, .object(["": .integer(0)])),
        .init("keys differing only in case", #"{"a":1,"A":2}"#, .object(["a": .integer(1), "A": .integer(2)])),
        // Whitespace: the four RFC 8259 whitespace bytes, anywhere between tokens
        .init("whitespace around everything", " \t\n\r{ \"a\" : [ 1 , 2 ] } \n", .object(["a": .array([.integer(1), .integer(2)])])),
        .init("whitespace inside an empty array", "[ \n ]", .array([])),
        // Strings and escapes
        .init("every simple escape", #""\"\\\/\b\f\n\r\t""#, .string("\"\\/\u{8}\u{C}\n\r\t")),
        .init("unicode escape", #""\u00e9""#, .string("é")),
        .init("unicode escape, upper-case hex", #""\u00E9""#, .string("é")),
        .init("escaped NUL", #""\u0000""#, .string("\u{0}")),
        .init("surrogate pair", #""\ud83d\ude00""#, .string("😀")),
        .init("raw UTF-8, 2 to 4 bytes", "\"é€😀\"", .string("é€😀")),
        .init("DEL is not a control character", "\"\u{7F}\"", .string("\u{7F}")),
        .init("non-character U+FFFF escaped", #""\uffff""#, .string("\u{FFFF}")),
        .init("slash unescaped", #""a/b""#, .string("a/b")),
        .init("escapes mixed with raw UTF-8", #""é\n€""#, .string("é\n€")),
        // Numbers
        .init("zero", "0", .integer(0)),
        .init("negative zero", "-0", .integer(0)),
        .init("negative integer", "-123", .integer(-123)),
        .init("largest Int64", "9223372036854775807", .integer(Int.max)),
        .init("smallest Int64", "-9223372036854775808", .integer(Int.min)),
        .init("integer beyond Int64 reads as a double", "9223372036854775808", .double(9223372036854775808)),
        .init("fraction", "1.25", .double(1.25)),
        .init("exponent", "1e3", .double(1000)),
        .init("exponent, capital E and sign", "1E+2", .double(100)),
        .init("negative exponent", "25e-2", .double(0.25)),
        .init("zero with fraction and exponent", "0.0e0", .double(0)),
        .init("largest double", "1.7976931348623157e308", .double(1.7976931348623157e308)),
        .init("subnormal double", "5e-324", .double(.leastNonzeroMagnitude)),
        .init("underflow to zero is not an error", "1e-400", .double(0)),
        // Depth within the bound
        .init("255 nested arrays", String(repeating: "[", count: 255) + String(repeating: "]", count: 255),
            (0..<254).reduce(Tree.array([])) { inner, _ in .array([inner]) }),
    ]

    static let refused: [Refused] = [
        // Structure
        .init("empty document", "", "empty document"),
        .init("only whitespace", " \n ", "empty document"),
        .init("unclosed array", "[1", "expected ',' or ']'"),
        .init("unclosed object", #"{"a":1"#, "expected ',' or '}'"),
        .init("trailing comma in array", "[1,]", "unexpected character ']'"),
        .init("trailing comma in object", #"{"a":1,}"#, "expected a string key"),
        .init("leading comma", "[,1]", "unexpected character ','"),
        .init("missing colon", #"{"a" 1}"#, "expected ':'"),
        .init("missing value", #"{"a":}"#, "unexpected character '}'"),
        .init("non-string key", "{1:2}", "expected a string key"),
        .init("single-quoted string", "['a']", "unexpected character"),
        .init("bare word", "[nul]", "invalid literal"),
        .init("capitalised literal", "True", "unexpected character 'T'"),
        .init("comment", "[1] // no", "after the JSON value"),
        .init("two values", "1 2", "after the JSON value"),
        .init("trailing garbage after an object", "{}x", "after the JSON value"),
        .init("NUL after the value", [0x5B, 0x5D, 0x00], "after the JSON value"),
        .init("mismatched brackets", "[}", "unexpected character '}'"),
        // Whitespace: only the four RFC 8259 bytes
        .init("form feed as whitespace", "[\u{C}1]", "unexpected character"),
        .init("non-breaking space as whitespace", "[\u{A0}1]", "unexpected character"),
        // Strings and escapes
        .init("unterminated string", #""abc"#, "unterminated string"),
        .init("raw tab in string", "\"a\tb\"", "control character"),
        .init("raw newline in string", "\"a\nb\"", "control character"),
        .init("unknown escape", #""\x41""#, "invalid escape"),
        .init("escaped apostrophe", #""\'""#, "invalid escape"),
        .init("short unicode escape", #""\u12""#, "truncated"),
        .init("bad hex digit", #""\u12G4""#, "hex digit"),
        .init("escape at the end", #""\"#, "unterminated string"),
        // Surrogates
        .init("lone high surrogate", #""\ud83d""#, "unpaired surrogate"),
        .init("lone low surrogate", #""\ude00""#, "unpaired surrogate"),
        .init("high surrogate then a letter", #""\ud83dx""#, "unpaired surrogate"),
        .init("high surrogate then non-surrogate escape", #""\ud83d\u0041""#, "invalid low surrogate"),
        // UTF-8: refused, never repaired
        .init("invalid UTF-8 byte in string", [0x22, 0xFF, 0x22], "invalid UTF-8"),
        .init("truncated UTF-8 sequence", [0x22, 0xE2, 0x82, 0x22], "invalid UTF-8"),
        .init("overlong encoding of '/'", [0x22, 0xC0, 0xAF, 0x22], "invalid UTF-8"),
        .init("UTF-8 encoded surrogate", [0x22, 0xED, 0xA0, 0x80, 0x22], "invalid UTF-8"),
        .init("code point above U+10FFFF", [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "invalid UTF-8"),
        .init("invalid UTF-8 after an escape", [0x22, 0x5C, 0x6E, 0xFE, 0x22], "invalid UTF-8"),
        .init("invalid UTF-8 in a key", [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D], "invalid UTF-8"),
        .init("UTF-8 outside a string", Array("[é]".utf8), "unexpected character"),
        // Numbers
        .init("leading zero", "01", "leading zero"),
        .init("leading plus", "+1", "unexpected character '+'"),
        .init("bare minus", "-", "invalid number"),
        .init("dot without digits", "1.", "expected digit after '.'"),
        .init("leading dot", ".5", "unexpected character '.'"),
        .init("empty exponent", "1e", "expected digit in exponent"),
        .init("exponent sign only", "1e+", "expected digit in exponent"),
        .init("hexadecimal", "0x10", "after the JSON value"),
        .init("NaN", "NaN", "unexpected character 'N'"),
        .init("Infinity", "-Infinity", "invalid number"),
        .init("overflow to infinity", "1e400", "out of range"),
        .init("negative overflow", "-1e400", "out of range"),
        .init("overflow with many digits", "1" + String(repeating: "0", count: 400), "out of range"),
        // Depth
        .init("257 nested arrays", String(repeating: "[", count: 257) + String(repeating: "]", count: 257), "nesting deeper than 256"),
        .init("deep unclosed nesting does not recurse without bound", String(repeating: "[", count: 100_000), "nesting deeper than 256"),
        // Implementation-defined in RFC 8259, refused here on purpose
        .init("duplicate key", #"{"a":1,"a":2}"#, "duplicate key \"a\""),
        .init("duplicate key with equal values", #"{"a":1,"a":1}"#, "duplicate key"),
        .init("byte order mark", [0xEF, 0xBB, 0xBF, 0x7B, 0x7D], "byte order mark"),
    ]

    @Test(arguments: accepted)
    func accepts(_ c: Accepted) throws {
        #expect(try Tree.parse(c.bytes) == c.expected)
    }

    @Test(arguments: refused)
    func refuses(_ c: Refused) {
        do {
            let value = try Tree.parse(c.bytes)
            Issue.record("accepted \(value)")
        } catch {
            #expect(error.reason.contains(c.reason), "\(error)")
        }
    }

    @Test func errorsNameLineColumnAndPath() {
        let text = """
            {"tasks": {
              "fetch": {"input": [1, 2, {"x": 1, "x": 2}]}
            }}
            """
        do {
            _ = try Tree.parse(text)
            Issue.record("a duplicate key was accepted")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 38)
            #expect(error.path == "tasks.fetch.input[2]")
            #expect(error.description == #"malformed JSON at line 2, column 38 (at tasks.fetch.input[2]): duplicate key "x""#)
        }
        do {
            _ = try Tree.parse(#"{"a": [1, 1e400]}"#)
            Issue.record("1e400 was accepted")
        } catch {
            #expect(error.path == "a[1]")
            #expect(error.column == 11)
        }
        do {
            _ = try Tree.parse("[1,\n2,\n\"\u{1}\"]")
        } catch {
            #expect(error.line == 3)
            #expect(error.path == "[2]")
        }
    }

    @Test func integersAndDoublesStayApart() throws {
        #expect(try Tree.parse("3") == .integer(3))
        #expect(try Tree.parse("3.0") == .double(3))
        #expect(try Tree.parse("3e0") == .double(3))
        #expect(String(decoding: CompactJSONWriter.bytes(Tree.double(3)), as: UTF8.self) == "3.0")
        #expect(String(decoding: CompactJSONWriter.bytes(Tree.integer(3)), as: UTF8.self) == "3")
    }

    @Test func theWriterSortsKeysAndEscapesControlCharacters() {
        let value = Tree.object(["b": .integer(1), "a": .string("\u{1}\"\\\n\r\t/é"), "": .null])
        #expect(value.description == #"{"":null,"a":"\u0001\"\\\n\r\t/é","b":1}"#)
        #expect(Tree.double(.infinity).description == "null")
        #expect(Tree.double(1e300).description == "1e+300")
        #expect(Tree.double(-0.5).description == "-0.5")
    }
}

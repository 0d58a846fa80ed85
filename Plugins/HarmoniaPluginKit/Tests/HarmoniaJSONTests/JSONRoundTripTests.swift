import HarmoniaJSON
import Testing

/// Writing then parsing is the identity, for random values of every shape: the property
/// that lets stored rows, event payloads and adapter outputs be written by one side and
/// read by the other without drift.
struct JSONRoundTripTests {
    /// A small deterministic generator (SplitMix64), so a failure names a seed to replay.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let scalars: [Unicode.Scalar] = [
        "a", "Z", "0", " ", "\"", "\\", "/", "\u{0}", "\u{1F}", "\n", "\t", "\u{7F}", "é", "€", "😀", "\u{FFFF}", "\u{10FFFF}",
    ]

    static func string(_ g: inout Generator) -> String {
        var s = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...12, using: &g) {
            if Bool.random(using: &g) {
                s.append(scalars.randomElement(using: &g)!)
            } else {
                // Any scalar but the surrogate range, which no String can hold.
                var value = UInt32.random(in: 0...0x10FFFF, using: &g)
                if (0xD800...0xDFFF).contains(value) { value -= 0x800 }
                s.append(Unicode.Scalar(value)!)
            }
        }
        return String(s)
    }

    static func double(_ g: inout Generator) -> Double {
        switch Int.random(in: 0..<5, using: &g) {
        case 0: return Double(Int.random(in: -1_000_000...1_000_000, using: &g))
        case 1: return Double.random(in: -1...1, using: &g)
        case 2: return Double(bitPattern: UInt64.random(in: 0...0x7FEF_FFFF_FFFF_FFFF, using: &g)) * (Bool.random(using: &g) ? 1 : -1)
        case 3: return [0.1, 1e15, 1e16, 1e-7, .leastNonzeroMagnitude, 1.7976931348623157e308, 123456789.125].randomElement(using: &g)!
        default: return Double.random(in: -1e20...1e20, using: &g)
        }
    }

    static func tree(_ g: inout Generator, depth: Int) -> Tree {
        let leafOnly = depth >= 6
        switch Int.random(in: 0..<(leafOnly ? 5 : 8), using: &g) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &g))
        case 2: return .integer(Int.random(in: Int.min...Int.max, using: &g))
        case 3: return .double(double(&g))
        case 4: return .string(string(&g))
        case 5, 6:
            return .array((0..<Int.random(in: 0...5, using: &g)).map { _ in tree(&g, depth: depth + 1) })
        default:
            var members: [String: Tree] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &g) { members[string(&g)] = tree(&g, depth: depth + 1) }
            return .object(members)
        }
    }

    @Test func writeThenParseIsIdentity() throws {
        for seed in UInt64(1)...2_000 {
            var g = Generator(state: seed)
            let value = Self.tree(&g, depth: 0)
            let bytes = CompactJSONWriter.bytes(value)
            let parsed = try Tree.parse(bytes)
            #expect(parsed == value, "seed \(seed): \(value)")
            #expect(CompactJSONWriter.bytes(parsed) == bytes, "seed \(seed): writing is deterministic")
            if parsed != value { return }
        }
    }

    @Test func wholeDoublesStayDoublesAndIntegersStayIntegers() throws {
        for value: Tree in [.double(0), .double(-0.0), .double(1e14), .double(1e15), .double(-7), .integer(0), .integer(-7), .integer(Int.max)] {
            #expect(try Tree.parse(CompactJSONWriter.bytes(value)) == value)
        }
    }
}

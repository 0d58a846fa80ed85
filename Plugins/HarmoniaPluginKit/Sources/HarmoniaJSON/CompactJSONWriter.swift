/// Writes a JSON value as compact JSON with object keys sorted, the one spelling Harmonia
/// and its adapters use: equal values give equal bytes, which keeps stored rows, event
/// payloads and adapter outputs comparable.
///
/// Doubles that are whole and below 1e15 keep a `.0` so they read back as doubles; JSON has
/// no NaN or infinity, so those (which the parser never produces) are written as `null`.
public enum CompactJSONWriter {
    @inlinable
    public static func bytes<Value: JSONTree>(_ value: Value) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        write(value, into: &out)
        return out
    }

    @inlinable
    public static func write<Value: JSONTree>(_ value: Value, into out: inout [UInt8]) {
        switch value.jsonNode {
        case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(let b): out.append(contentsOf: b ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65])
        case .integer(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): writeDouble(d, into: &out)
        case .string(let s): writeString(s, into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, element) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            for (i, key) in o.keys.sorted().enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(o[key]!, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    @inlinable
    public static func writeDouble(_ d: Double, into out: inout [UInt8]) {
        if !d.isFinite {
            out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        } else if d.rounded() == d, abs(d) < 1e15 {
            out.append(contentsOf: String(Int(d)).utf8)
            out.append(contentsOf: [0x2E, 0x30])
        } else {
            out.append(contentsOf: "\(d)".utf8)
        }
    }

    /// A JSON string literal: `"`, `\` and control characters escaped, everything else as
    /// its UTF-8 bytes.
    @inlinable
    public static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

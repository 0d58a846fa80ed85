import Foundation
import HarmoniaJSON

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int.self) {
            self = .integer(i)
        } else if let d = try? container.decode(Double.self) {
            self = .double(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else if let o = try? container.decode([String: JSONValue].self) {
            self = .object(o)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .integer(let i): try container.encode(i)
        case .double(let d): try container.encode(d)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}

extension JSONValue {
    /// Parses JSON text. Throws `HarmoniaError` with code `invalid_json` naming the line and
    /// column of the problem.
    public static func parse(_ data: some Collection<UInt8>, maxDepth: Int = 256) throws -> JSONValue {
        do {
            return try StrictJSONParser<JSONValue>.parse(Array(data), maxDepth: maxDepth)
        } catch {
            throw HarmoniaError(.invalidJSON, error.description)
        }
    }

    /// Parses JSON text from a string.
    public static func parse(_ text: String, maxDepth: Int = 256) throws -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }

    /// Compact JSON text with sorted keys, so equal values always serialize identically.
    public func jsonData() -> Data {
        Data(jsonBytes())
    }

    /// Compact JSON bytes with sorted keys.
    public func jsonBytes() -> [UInt8] {
        CompactJSONWriter.bytes(self)
    }

    /// Compact JSON text with sorted keys.
    public func jsonString() -> String {
        String(decoding: jsonBytes(), as: UTF8.self)
    }
}

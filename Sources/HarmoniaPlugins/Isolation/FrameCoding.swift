/// Appends the fields of one frame (`HostMessage`); `finished()` puts the length in front.
struct FrameWriter {
    private var buffer: [UInt8] = [0, 0, 0, 0]

    mutating func u8(_ value: UInt8) { buffer.append(value) }

    mutating func u32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    mutating func bytes(_ value: [UInt8]) {
        u32(UInt32(value.count))
        buffer.append(contentsOf: value)
    }

    mutating func string(_ value: String) { bytes(Array(value.utf8)) }

    /// A presence byte, then the string.
    mutating func optionalString(_ value: String?) {
        u8(value == nil ? 0 : 1)
        if let value { string(value) }
    }

    func finished() -> [UInt8] {
        var frame = buffer
        let length = UInt32(frame.count - 4).littleEndian
        withUnsafeBytes(of: length) { for (i, byte) in $0.enumerated() { frame[i] = byte } }
        return frame
    }
}

/// Reads the fields of one frame body; every read is bounds-checked.
struct FrameReader {
    private let body: ArraySlice<UInt8>
    private var index: Int

    init(_ body: ArraySlice<UInt8>) {
        self.body = body
        self.index = body.startIndex
    }

    private mutating func take(_ count: Int) throws(HostProtocolError) -> ArraySlice<UInt8> {
        guard count >= 0, body.endIndex - index >= count else { throw HostProtocolError("frame ends early") }
        defer { index += count }
        return body[index..<(index + count)]
    }

    mutating func u8() throws(HostProtocolError) -> UInt8 { try take(1).first! }

    mutating func u32() throws(HostProtocolError) -> UInt32 {
        try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func u64() throws(HostProtocolError) -> UInt64 {
        try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func bytes() throws(HostProtocolError) -> [UInt8] { Array(try take(Int(try u32()))) }

    mutating func string() throws(HostProtocolError) -> String { String(decoding: try bytes(), as: UTF8.self) }

    mutating func optionalString() throws(HostProtocolError) -> String? {
        try u8() == 0 ? nil : try string()
    }

    /// The length of the frame that starts at `buffer[start...]`, once its prefix is there.
    static func frameLength(_ buffer: [UInt8], at start: Int) -> Int? {
        guard buffer.count - start >= 4 else { return nil }
        return buffer[start..<(start + 4)].reversed().reduce(0) { $0 << 8 | Int($1) }
    }
}

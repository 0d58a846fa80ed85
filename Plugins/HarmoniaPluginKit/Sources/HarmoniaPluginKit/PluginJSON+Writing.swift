import HarmoniaJSON

extension PluginJSON {
    /// Compact JSON bytes with sorted keys, so equal values serialize identically.
    public func jsonBytes() -> [UInt8] {
        CompactJSONWriter.bytes(self)
    }

    /// Compact JSON text with sorted keys.
    public func jsonString() -> String {
        String(decoding: jsonBytes(), as: UTF8.self)
    }
}

import CHarmoniaPluginABI

/// Copies a borrowed ABI buffer: it is only valid during the call that received it.
func copyBytes(_ bytes: harmonia_type_borrowed_bytes) -> [UInt8] {
    guard let pointer = bytes.ptr, bytes.len > 0 else { return [] }
    return Array(UnsafeRawBufferPointer(start: pointer, count: bytes.len))
}

/// Copies a borrowed ABI buffer as UTF-8 text (invalid sequences repaired).
func copyString(_ bytes: harmonia_type_borrowed_bytes) -> String {
    String(decoding: copyBytes(bytes), as: UTF8.self)
}

/// Lends `bytes` to C for the duration of `body`.
func withBorrowed<R>(_ bytes: [UInt8], _ body: (harmonia_type_borrowed_bytes) throws -> R) rethrows -> R {
    try bytes.withUnsafeBufferPointer { buffer in
        try buffer.withMemoryRebound(to: CChar.self) { chars in
            try body(harmonia_type_borrowed_bytes(ptr: chars.baseAddress, len: chars.count))
        }
    }
}

/// Lends the UTF-8 of `text` to C for the duration of `body`.
func withBorrowed<R>(_ text: String, _ body: (harmonia_type_borrowed_bytes) throws -> R) rethrows -> R {
    try withBorrowed(Array(text.utf8), body)
}

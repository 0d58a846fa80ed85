/// Reads an ABI struct that a plugin owns and that begins with `size_t struct_size`,
/// touching no byte past the size the plugin declared.
///
/// A plugin built against an older minor version has a smaller struct than this host's, and
/// a plugin's struct may end where its memory mapping ends: copying the host's whole struct
/// (`pointer.pointee`) could read past it. So `struct_size` is read alone first, and the copy
/// takes only `min(struct_size, MemoryLayout<T>.size)` bytes; the fields the plugin does not
/// have stay zero (the ABI's "absent" for every field added in a minor version).
enum DeclaredStruct {
    /// The `struct_size` at the start of the struct at `pointer` (read alone).
    static func size(at pointer: UnsafeRawPointer) -> Int {
        pointer.loadUnaligned(as: Int.self)
    }

    /// Copies the first `declaredSize` bytes (at most the host's struct) at `pointer` into
    /// `value`, which the caller passes zeroed (`T()`).
    static func copy<T>(into value: inout T, from pointer: UnsafeRawPointer, declaredSize: Int) {
        withUnsafeMutableBytes(of: &value) { target in
            let count = min(max(declaredSize, 0), target.count)
            target.copyMemory(from: UnsafeRawBufferPointer(start: pointer, count: count))
        }
    }
}

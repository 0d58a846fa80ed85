import CHarmoniaPluginABI
import Foundation
import HarmoniaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens plugin files: trust checks, `dlopen`, the `harmonia_plugin_describe` symbol and
/// the version handshake, in that order, stopping at the first problem.
public enum PluginLoader {
    /// What the server would make of `path`, without initialising the plugin: its manifest
    /// and ABI version (`status` `.loadable`), or exactly why it would be refused.
    /// For `harmonia plugins inspect FILE.so`. Note that opening a library runs its
    /// constructors, and a Swift library stays mapped.
    public static func inspect(path: String) -> PluginRecord {
        let absolute = absolutePath(path)
        switch open(path: absolute) {
        case .success(let library):
            return record(library.description, path: absolute, status: .loadable)
        case .failure(let error):
            return PluginRecord(path: absolute, status: .refused, reason: error.message)
        }
    }

    /// Checks and opens `path`: the file is opened once, checked through its descriptor
    /// and loaded through that descriptor (`TrustedFile`). With `snapshot`, a private copy of
    /// the checked bytes is loaded instead: an earlier version of the file is still mapped.
    static func open(path: String, snapshot: Bool = false) -> Result<PluginLibrary, HarmoniaError> {
        let file: TrustedFile
        switch TrustedFile.open(path) {
        case .success(let opened): file = opened
        case .failure(let problem): return .failure(PluginHandshake.refusal("untrusted file: \(problem)"))
        }
        var loaded = file
        if snapshot {
            defer { file.discard() }
            switch file.snapshot() {
            case .success(let copy): loaded = copy
            case .failure(let problem): return .failure(PluginHandshake.refusal("cannot snapshot \(path) for reloading: \(problem)"))
            }
        }
        let target = loaded.loadPath
        guard let handle = dlopen(target, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            loaded.discard()
            let reason = dlerror().map { String(cString: $0) } ?? "unknown error"
            return .failure(PluginHandshake.refusal("dlopen failed: \(reason)"))
        }
        // From here on the library is never dlclosed on failure: it may contain Swift code
        // (RTLD_NODELETE keeps it mapped anyway).
        guard let symbol = dlsym(handle, HARMONIA_PLUGIN_DESCRIBE_SYMBOL) else {
            return .failure(
                PluginHandshake.refusal("missing symbol \(HARMONIA_PLUGIN_DESCRIBE_SYMBOL): not a Harmonia plugin, or built without the export"))
        }
        let describe = unsafeBitCast(symbol, to: harmonia_type_describe_fn.self)
        guard let descriptor = describe() else {
            return .failure(PluginHandshake.refusal("\(HARMONIA_PLUGIN_DESCRIBE_SYMBOL) returned NULL"))
        }
        switch PluginHandshake.describe(descriptor) {
        case .success(let description):
            return .success(
                PluginLibrary(path: path, openedPath: target, description: description, descriptor: descriptor, handle: handle))
        case .failure(let error):
            return .failure(error)
        }
    }

    static func record(
        _ description: PluginDescription, path: String, status: PluginRecord.Status, reason: String? = nil,
        instanceErrors: [String: String] = [:]
    ) -> PluginRecord {
        PluginRecord(
            path: path, name: description.name, version: description.version, abiVersion: description.abiVersion,
            buildSignature: description.buildSignature, components: description.components, status: status, reason: reason,
            instanceErrors: instanceErrors)
    }

    static func absolutePath(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

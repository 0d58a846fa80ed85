import CHarmoniaPluginABI
import Foundation
import Testing

@testable import HarmoniaPlugins

#if canImport(Glibc)
import Glibc
#endif

/// The file checked is the file loaded: the loader opens a plugin once, checks the open
/// descriptor and `dlopen`s that descriptor, so a file renamed over the path after the
/// check is not what gets loaded (issue "adapters can't take Harmonia down", item 4).
@Suite(.timeLimit(.minutes(2)))
struct TrustedFileTests {
    /// The `version` of the plugin `dlopen` loads from `path`.
    static func loadedVersion(_ path: String) throws -> String {
        let handle = try #require(dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE), "\(String(cString: dlerror()))")
        let symbol = try #require(dlsym(handle, HARMONIA_PLUGIN_DESCRIBE_SYMBOL))
        let describe = unsafeBitCast(symbol, to: harmonia_type_describe_fn.self)
        let descriptor = try #require(describe())
        return String(cString: descriptor.pointee.version)
    }

    @Test func aFileRenamedOverThePathAfterTheCheckIsNotLoaded() async throws {
        let directory = try PluginFixtures.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let staging = try PluginFixtures.makeDirectory("staging")
        defer { try? FileManager.default.removeItem(at: staging.deletingLastPathComponent()) }
        let checked = try PluginFixtures.install(
            try await PluginFixtures.buildExample(into: staging, name: "trusted-v1.so", defines: [#"EXAMPLE_VERSION="1.0.0-checked""#]),
            into: directory, as: "libswap.so")
        let file = try TrustedFile.open(checked.path).get()

        // Swapped after the check: a different library at the same path.
        let swapped = try await PluginFixtures.buildExample(
            into: staging, name: "trusted-v2.so", defines: [#"EXAMPLE_VERSION="2.0.0-swapped""#])
        try PluginFixtures.install(swapped, into: directory, as: "libswap.so")

        #expect(try Self.loadedVersion(file.loadPath) == "1.0.0-checked")
    }

    @Test func aWorldWritableFileIsRefusedThroughItsDescriptor() async throws {
        let directory = try PluginFixtures.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let library = try await PluginFixtures.buildExample(into: directory, name: "libwritable.so")
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: library.path)
        guard case .failure(let problem) = TrustedFile.open(library.path) else {
            Issue.record("a world-writable file must be refused")
            return
        }
        #expect(problem.reason.contains("writable by others"), "\(problem)")
    }
}

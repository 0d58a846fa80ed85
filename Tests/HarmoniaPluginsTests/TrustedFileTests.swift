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

/// The handshake reads no byte past the descriptor's `struct_size`: a descriptor that ends
/// where its memory ends is refused, not read beyond (item 4).
@Suite(.timeLimit(.minutes(1)))
struct PluginHandshakeBoundsTests {
    @Test func aSmallDescriptorAtTheEndOfItsMappingIsRefusedWithoutReadingPastIt() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let memory = try #require(
            mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "mmap failed")
        defer { munmap(memory, 2 * page) }
        // The second page is unreadable: touching it would crash the test process.
        #expect(mprotect(memory + page, page, PROT_NONE) == 0)
        let prefix = PluginHandshake.versionPrefixSize
        let start = memory + page - prefix
        start.storeBytes(of: prefix, as: Int.self)
        let layout = MemoryLayout<harmonia_type_plugin_descriptor>.self
        start.storeBytes(of: UInt32(HARMONIA_ABI_VERSION_MAJOR), toByteOffset: layout.offset(of: \.abi_major)!, as: UInt32.self)
        start.storeBytes(of: UInt32(0), toByteOffset: layout.offset(of: \.abi_minor)!, as: UInt32.self)
        let descriptor = start.assumingMemoryBound(to: harmonia_type_plugin_descriptor.self)
        guard case .failure(let error) = PluginHandshake.describe(descriptor) else {
            Issue.record("a descriptor smaller than ABI 1.0's must be refused")
            return
        }
        #expect(error.message.contains("smaller than an ABI 1.0 descriptor"), "\(error.message)")
    }
}

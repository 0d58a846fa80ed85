import CHarmoniaPluginABI
import Foundation
import HarmoniaCore
import Testing

@testable import HarmoniaPlugins

#if canImport(Glibc)
import Glibc
#endif

/// The host reads no byte of a plugin's ABI struct past its `struct_size`: a struct that
/// ends where its memory ends (the next page unreadable) is read or refused, never read
/// beyond, which would crash the server (issue "adapters can't take Harmonia down", item 4).
@Suite(.timeLimit(.minutes(1)))
struct DeclaredStructBoundsTests {
    /// `body` gets `size` writable bytes (rounded up to the struct alignment, 8, as a C
    /// compiler pads a struct) that end exactly where an unreadable page begins.
    static func atTheEndOfReadableMemory<R>(_ size: Int, _ body: (UnsafeMutableRawPointer) throws -> R) throws -> R {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let memory = try #require(
            mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "mmap failed")
        defer { munmap(memory, 2 * page) }
        // The second page is unreadable: touching it would crash the test process.
        try #require(mprotect(memory + page, page, PROT_NONE) == 0)
        return try body(memory + page - (size + 7) / 8 * 8)
    }

    @Test func aSmallDescriptorIsRefusedWithoutReadingPastIt() throws {
        let prefix = PluginHandshake.versionPrefixSize
        let result = try Self.atTheEndOfReadableMemory(prefix) { start in
            start.storeBytes(of: prefix, as: Int.self)
            let layout = MemoryLayout<harmonia_type_plugin_descriptor>.self
            start.storeBytes(of: UInt32(HARMONIA_ABI_VERSION_MAJOR), toByteOffset: layout.offset(of: \.abi_major)!, as: UInt32.self)
            start.storeBytes(of: UInt32(0), toByteOffset: layout.offset(of: \.abi_minor)!, as: UInt32.self)
            return PluginHandshake.describe(start.assumingMemoryBound(to: harmonia_type_plugin_descriptor.self))
        }
        guard case .failure(let error) = result else {
            Issue.record("a descriptor smaller than ABI 1.0's must be refused")
            return
        }
        #expect(error.message.contains("smaller than an ABI 1.0 descriptor"), "\(error.message)")
    }

    @Test func aTooSmallOutcomeIsInvalidOutputWithoutReadingPastIt() throws {
        let size = MemoryLayout<Int>.size
        let result = try Self.atTheEndOfReadableMemory(size) { start in
            start.storeBytes(of: size, as: Int.self)
            return OutcomeDecoder.decode(start.assumingMemoryBound(to: harmonia_type_outcome.self), context: nil)
        }
        guard case .failure(let failure) = result else {
            Issue.record("an outcome smaller than ABI 1.0's must fail the call")
            return
        }
        #expect(failure.code == "invalid_plugin_output")
        #expect(failure.message.contains("struct_size \(size)"), "\(failure.message)")
    }

    @Test func anExactlySizedOutcomeAtTheEndOfItsMappingIsRead() throws {
        let size = MemoryLayout<harmonia_type_outcome>.offset(of: \.retryable)! + MemoryLayout<Bool>.size
        let result = try Self.atTheEndOfReadableMemory(size) { start in
            start.initializeMemory(as: UInt8.self, repeating: 0, count: size)
            start.storeBytes(of: size, as: Int.self)
            let layout = MemoryLayout<harmonia_type_outcome>.self
            start.storeBytes(of: HARMONIA_STATUS_FAILED, toByteOffset: layout.offset(of: \.status)!, as: harmonia_type_status.self)
            start.storeBytes(of: true, toByteOffset: layout.offset(of: \.retryable)!, as: Bool.self)
            return OutcomeDecoder.decode(start.assumingMemoryBound(to: harmonia_type_outcome.self), context: nil)
        }
        guard case .failure(let failure) = result else {
            Issue.record("a FAILED outcome must fail the call")
            return
        }
        #expect(failure.code == "plugin_error" && failure.retryable)
    }
}

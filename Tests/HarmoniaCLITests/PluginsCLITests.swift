import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `harmonia plugins inspect` on a good and a refused file (local, no server), and
/// `harmonia plugins list` against a server that loaded plugins at start-up and reloads on
/// SIGHUP.
@Suite(.timeLimit(.minutes(3)))
struct PluginsCLITests {
    /// A built adapter next to the `harmonia` binary (build its product first).
    static func library(_ name: String) throws -> String {
        let path = ((try CLITests.binary()) as NSString).deletingLastPathComponent + "/" + name
        try #require(FileManager.default.fileExists(atPath: path), "\(path) missing: swift build --product \(name.dropFirst(3).dropLast(3))")
        return path
    }

    /// A 0755 directory holding nothing yet.
    static func pluginDirectory(_ base: TemporaryDirectory) throws -> String {
        let directory = base.path + "/plugins"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: base.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory)
        return directory
    }

    /// `install -m MODE library directory/`: a new file, renamed over any earlier one (a
    /// loaded library is never rewritten in place).
    @discardableResult
    static func install(_ library: String, into directory: String, mode: Int = 0o755) throws -> String {
        let target = directory + "/" + (library as NSString).lastPathComponent
        let staging = directory + "/.\(UUID().uuidString).tmp"
        try FileManager.default.copyItem(atPath: library, toPath: staging)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: staging)
        guard rename(staging, target) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target, "errno": errno])
        }
        return target
    }

    @Test("plugins inspect shows the manifest and ABI of a good file and exits 0")
    func inspectGood() async throws {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        let file = try Self.install(try Self.library("libHarmoniaEcho.so"), into: try Self.pluginDirectory(base))
        let result = try await CLITests.harmonia(["plugins", "inspect", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\(file): loadable"), "\(result.stdout)")
        #expect(result.stdout.contains("abi: 1."), "\(result.stdout)")
        #expect(result.stdout.contains("component echo"), "\(result.stdout)")
    }

    @Test("plugins inspect says why a world-writable file is refused and exits non-zero")
    func inspectRefused() async throws {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        let file = try Self.install(
            try Self.library("libHarmoniaEcho.so"), into: try Self.pluginDirectory(base), mode: 0o777)
        let result = try await CLITests.harmonia(["plugins", "inspect", file])
        #expect(result.status != 0)
        #expect(result.stdout.contains("refused"), "\(result.stdout)")
        #expect(result.stderr.contains("writable by others"), "\(result.stderr)")
        #expect(result.stderr.contains("chmod go-w"), "\(result.stderr)")
    }

    @Test("serve loads the configured plugins before binding; plugins list shows them; SIGHUP reloads")
    func listAndSIGHUP() async throws {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        let plugins = try Self.pluginDirectory(base)
        let echo = try Self.install(try Self.library("libHarmoniaEcho.so"), into: plugins)
        let config = try base.write(
            "harmonia.yaml",
            """
            plugins:
              directories: [\(plugins)]
            components:
              echo: {}
              ergon:
                options: {local_mode: true, allow_shell: true}
            """)
        let server = try await ServerProcess(
            binary: try CLITests.binary(), dataDirectory: base.path + "/data", extraArguments: ["--config", config])
        defer { server.kill() }

        // Loaded before the listening line: no wait needed.
        let list = try await CLITests.harmonia(["plugins", "list", "--url", server.baseURL])
        #expect(list.status == 0, "\(list.stderr)")
        let echoLine = try #require(list.stdout.split(separator: "\n").first { $0.hasPrefix("echo ") }, "\(list.stdout)")
        #expect(echoLine.contains(echo) && echoLine.contains(" yes "), "\(echoLine)")
        let ergonLine = try #require(list.stdout.split(separator: "\n").first { $0.hasPrefix("ergon ") }, "\(list.stdout)")
        #expect(ergonLine.contains("no ("), "\(ergonLine)")

        // A new adapter copied in, then SIGHUP: served with no restart.
        try Self.install(try Self.library("libHarmoniaErgon.so"), into: plugins)
        server.child.send(SIGHUP)
        try await pollUntil("the SIGHUP reload", timeout: .seconds(30)) {
            server.child.stderr.text.contains("plugins reloaded") && server.child.stderr.text.contains("\"ergon\"")
        }
        let after = try await CLITests.harmonia(["plugins", "list", "--url", server.baseURL])
        let ergonAfter = try #require(after.stdout.split(separator: "\n").first { $0.hasPrefix("ergon ") }, "\(after.stdout)")
        #expect(ergonAfter.contains(" yes "), "\(ergonAfter)")
        #expect(server.child.isRunning)
    }
}

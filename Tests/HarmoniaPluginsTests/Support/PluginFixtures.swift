import Foundation
import HarmoniaSpawn
import Testing

/// Builds the test plugins: C sources compiled with `cc -shared -fPIC` against the header
/// alone into a fresh temporary directory (nothing prebuilt is committed), and the Swift
/// `libHarmoniaEcho.so` that SwiftPM builds next to the test bundle.
enum PluginFixtures {
    /// The repository root, from this file's path.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let headerDirectory = root.appendingPathComponent("Plugins/HarmoniaPluginKit/Sources/CHarmoniaPluginABI/include")
    static let exampleSource = root.appendingPathComponent("Plugins/ExampleC/example_adapter.c")
    static let fixtures = root.appendingPathComponent("Tests/HarmoniaPluginsTests/Fixtures")

    /// A new private directory (mode 0755) for plugin files.
    static func makeDirectory(_ name: String = "plugins") throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("harmonia-plugin-tests-\(UUID().uuidString)").appendingPathComponent(name)
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.deletingLastPathComponent().path)
        return directory
    }

    /// Compiles the example C adapter into `directory/<name>`.
    @discardableResult
    static func buildExample(into directory: URL, name: String = "libexample.so", defines: [String] = []) async throws -> URL {
        try await compile(exampleSource, into: directory.appendingPathComponent(name), extra: defines.map { "-D\($0)" } + ["-lpthread"])
    }

    /// Compiles `Fixtures/<fixture>.c` into `directory/lib<fixture>.so`.
    @discardableResult
    static func buildFixture(_ fixture: String, into directory: URL) async throws -> URL {
        try await compile(
            fixtures.appendingPathComponent("\(fixture).c"), into: directory.appendingPathComponent("lib\(fixture).so"),
            extra: ["-I", fixtures.path])
    }

    /// Runs `cc` on a Dispatch thread: waiting for a process must not block one of the
    /// (two) threads of Swift's cooperative pool, which the code under test needs.
    static func compile(_ source: URL, into output: URL, extra: [String]) async throws -> URL {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try compileBlocking(source, into: output, extra: extra) })
            }
        }
    }

    private static func compileBlocking(_ source: URL, into output: URL, extra: [String]) throws -> URL {
        // posix_spawn, not Foundation's Process (see SpawnedProcess).
        let process = try SpawnedProcess(
            executable: "/usr/bin/env",
            arguments: ["cc", "-shared", "-fPIC", "-O1", "-I", headerDirectory.path, "-o", output.path, source.path] + extra,
            environment: ProcessInfo.processInfo.environment, stdout: .inherit, stderr: .pipe)
        let message = FileHandle(fileDescriptor: process.stderr!, closeOnDealloc: true).readDataToEndOfFile()
        guard process.waitUntilExit() == .init(status: 0, signaled: false) else {
            throw FixtureError(message: "cc failed for \(source.lastPathComponent): \(String(decoding: message, as: UTF8.self))")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: output.path)
        return output
    }

    /// `libHarmoniaEcho.so` in the build products directory (next to the test bundle).
    static func echoLibrary() throws -> URL {
        let executable = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        var directory = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("libHarmoniaEcho.so")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw FixtureError(message: "libHarmoniaEcho.so not found near \(executable.path); build the HarmoniaEcho product")
    }

    /// The `harmonia` executable in the build products directory: the plugin host children
    /// of `isolation: process` run its `plugin-host` subcommand.
    static func harmoniaBinary() throws -> URL {
        let executable = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        var directory = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("harmonia")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
            directory = directory.deletingLastPathComponent()
        }
        throw FixtureError(message: "harmonia not found near \(executable.path); build the harmonia product")
    }

    /// Copies `library` into `directory` (as a new file: a new inode).
    @discardableResult
    static func install(_ library: URL, into directory: URL, as name: String? = nil) throws -> URL {
        let target = directory.appendingPathComponent(name ?? library.lastPathComponent)
        let staging = directory.appendingPathComponent(".\(UUID().uuidString).tmp")
        try FileManager.default.copyItem(at: library, to: staging)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: staging.path)
        if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
        try FileManager.default.moveItem(at: staging, to: target)
        return target
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}


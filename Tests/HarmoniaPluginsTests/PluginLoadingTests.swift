import Foundation
import HarmoniaCore
import HarmoniaPlugins
import Logging
import Testing

/// The loader: handshake, trust checks and every refusal, each with one log line and a
/// record saying why; the process keeps serving good plugins after each.
@Suite(.timeLimit(.minutes(2)))
struct PluginLoadingTests {
    @Test func inspectDescribesTheCAdapter() async throws {
        let directory = try PluginFixtures.makeDirectory()
        let library = try await PluginFixtures.buildExample(into: directory)
        let record = PluginLoader.inspect(path: library.path)
        #expect(record.status == .loadable)
        #expect(record.name == "example")
        #expect(record.version == "1.0.0")
        #expect(record.abiVersion == "1.0")
        #expect(record.buildSignature == "harmonia-abi-1;c")
        #expect(record.components.map(\.name) == ["example"])
        let upper = try #require(record.components.first?.actions.first { $0.name == "upper" })
        #expect(upper.inputSchema["required"] == ["text"])
    }

    @Test func inspectDescribesTheSwiftAdapter() async throws {
        let directory = try PluginFixtures.makeDirectory()
        let library = try PluginFixtures.install(try PluginFixtures.echoLibrary(), into: directory)
        let record = PluginLoader.inspect(path: library.path)
        #expect(record.status == .loadable, "\(record.reason ?? "")")
        #expect(record.name == "echo")
        #expect(record.buildSignature.hasPrefix("harmonia-abi-1;swift-"))
        #expect(record.components.first?.actions.map(\.name).contains("fetch") == true)
    }

    @Test(arguments: [
        ("wrong_major", "built for plugin ABI 2.0"),
        ("missing_symbol", "missing symbol harmonia_plugin_describe"),
        ("bad_signature", "built with Swift 5.9.2"),
        ("small_struct", "smaller than an ABI 1.0 descriptor"),
    ])
    func refusesABadHandshake(fixture: String, reason: String) async throws {
        let bed = try PluginTestBed()
        defer { bed.cleanUp() }
        try await PluginFixtures.buildFixture(fixture, into: bed.directory)
        try await PluginFixtures.buildExample(into: bed.directory)
        bed.manager.reload()
        let record = try #require(bed.record(named: "lib\(fixture).so"))
        #expect(record.status == .refused)
        #expect(record.reason?.contains(reason) == true, "\(record.reason ?? "")")
        #expect(PluginLoader.inspect(path: record.path).reason == record.reason)
        #expect(bed.logs.all.filter { $0.level == .error && $0.message.contains("lib\(fixture).so") }.count == 1)
        // The good plugin next to it still loads and serves.
        #expect(try bed.adapter("example") is PluginAdapter)
    }

    @Test func refusesAWorldWritableFile() async throws {
        let bed = try PluginTestBed()
        defer { bed.cleanUp() }
        let library = try await PluginFixtures.buildExample(into: bed.directory, name: "libwritable.so")
        try FileManager.default.setAttributes([.posixPermissions: 0o757], ofItemAtPath: library.path)
        bed.manager.reload()
        let record = try #require(bed.record(named: "libwritable.so"))
        #expect(record.status == .refused)
        #expect(record.reason?.contains("writable by others") == true, "\(record.reason ?? "")")
        #expect(bed.registry.adapter(for: "example") == nil)
        // Once fixed, the next reload loads it (the mode is part of the file's identity).
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: library.path)
        bed.manager.reload()
        let result = try await bed.adapter("example").invoke(call("noop"))
        #expect(result == .success(.emptyObject))
    }

    @Test func refusesAGroupWritableFile() async throws {
        let directory = try PluginFixtures.makeDirectory()
        let library = try await PluginFixtures.buildExample(into: directory)
        try FileManager.default.setAttributes([.posixPermissions: 0o775], ofItemAtPath: library.path)
        #expect(PluginLoader.inspect(path: library.path).reason?.contains("writable by its group") == true)
    }

    @Test func refusesAWorldWritableDirectory() async throws {
        let bed = try PluginTestBed()
        defer { bed.cleanUp() }
        try await PluginFixtures.buildExample(into: bed.directory)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: bed.directory.path)
        bed.manager.reload()
        #expect(bed.record(named: "libexample.so")?.reason?.contains("writable by others") == true)
        #expect(bed.registry.adapter(for: "example") == nil)
    }

    @Test func refusesAFileThatIsNotALibrary() async throws {
        let bed = try PluginTestBed()
        defer { bed.cleanUp() }
        let path = bed.directory.appendingPathComponent("libgarbage.so")
        try Data("not an ELF file".utf8).write(to: path)
        bed.manager.reload()
        #expect(bed.record(named: "libgarbage.so")?.reason?.contains("dlopen failed") == true)
    }

    @Test func refusesAPluginWhoseInitRefuses() async throws {
        let bed = try PluginTestBed()
        defer { bed.cleanUp() }
        try await PluginFixtures.buildFixture("init_refuses", into: bed.directory)
        bed.manager.reload()
        let record = try #require(bed.record(named: "libinit_refuses.so"))
        #expect(record.status == .refused)
        #expect(record.name == "init-refuses")
        #expect(record.reason?.contains("license file missing") == true)
    }

    @Test func recordsAnInstanceThatRejectsItsConfiguration() async throws {
        let bed = try PluginTestBed(components: ["example": ComponentConfiguration(options: ["prefix": "REJECT"])])
        defer { bed.cleanUp() }
        try await PluginFixtures.buildExample(into: bed.directory)
        bed.manager.reload()
        let record = try #require(bed.record(named: "libexample.so"))
        #expect(record.status == .loaded)
        #expect(record.instanceErrors["example"]?.contains("prefix REJECT is not allowed") == true)
        #expect(bed.registry.adapter(for: "example") == nil)
    }

    @Test func refusesASecondPluginForTheSameComponent() async throws {
        let bed = try PluginTestBed()
        defer { bed.cleanUp() }
        try await PluginFixtures.buildExample(into: bed.directory, name: "liba.so")
        try await PluginFixtures.buildExample(into: bed.directory, name: "libb.so")
        bed.manager.reload()
        #expect(bed.record(named: "liba.so")?.status == .loaded)
        #expect(bed.record(named: "libb.so")?.reason?.contains("already served by") == true)
    }

    @Test func defaultDirectoriesAreTheBuildProductsAndTheDataDirectory() throws {
        let directories = PluginsConfiguration.defaultDirectories(dataDirectory: "/var/lib/harmonia")
        #expect(directories.last == "/var/lib/harmonia/plugins")
        let build = try #require(directories.first)
        #expect(FileManager.default.fileExists(atPath: build + "/libHarmoniaEcho.so"))
    }

    @Test func configurationSelectsComponentsWhenAsked() async throws {
        let bed = try PluginTestBed(activateUnconfigured: false)
        defer { bed.cleanUp() }
        try await PluginFixtures.buildExample(into: bed.directory)
        bed.manager.reload()
        #expect(bed.record(named: "libexample.so")?.status == .loaded)
        #expect(bed.registry.adapter(for: "example") == nil)
    }
}

import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaPlugins
import Testing

/// `reload()` picks up new, changed and removed files without a restart.
@Suite(.timeLimit(.minutes(2)))
struct PluginReloadTests {
    @Test func reloadLoadsNewFilesSupersedesChangedOnesAndDropsRemovedOnes() async throws {
        let bed = try PluginTestBed()
        defer { bed.cleanUp() }
        let staging = try PluginFixtures.makeDirectory("staging")
        #expect(bed.manager.reload().isEmpty)
        #expect(bed.registry.adapter(for: "example") == nil)

        // A new file: loaded and callable without a restart.
        let v1 = try await PluginFixtures.buildExample(into: staging, name: "v1.so")
        try PluginFixtures.install(v1, into: bed.directory, as: "libexample.so")
        try PluginFixtures.install(try PluginFixtures.echoLibrary(), into: bed.directory)
        let records = await bed.manager.reloadInBackground()
        #expect(records.filter { $0.status == .loaded }.count == 2)
        #expect(bed.record(named: "libexample.so")?.version == "1.0.0")
        #expect(try await bed.adapter("example").invoke(call("noop")) == .success(.emptyObject))
        #expect(try await bed.adapter("echo").invoke(call("noop")) == .success(.emptyObject))

        // An unchanged file is left alone.
        let before = try #require(bed.registry.adapter(for: "example") as? PluginAdapter)
        bed.manager.reload()
        #expect(bed.manager.records.filter { $0.status == .superseded }.isEmpty)
        _ = before

        // A changed file supersedes the old version, which stays mapped.
        let v2 = try await PluginFixtures.buildExample(into: staging, name: "v2.so", defines: [#"EXAMPLE_VERSION="2.0.0""#])
        try PluginFixtures.install(v2, into: bed.directory, as: "libexample.so")
        bed.manager.reload()
        #expect(bed.record(named: "libexample.so")?.version == "2.0.0")
        #expect(bed.manager.records.contains { $0.status == .superseded && $0.version == "1.0.0" })
        #expect(try await bed.adapter("example").invoke(call("upper", ["text": "v2"])) == .success(["result": "V2"]))
        // The new version was loaded from a private snapshot that is already unlinked:
        // nothing is left in the temporary folder, whatever way the server stops.
        let openFiles = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        let snapshots = openFiles.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)") }
            .filter { $0.contains("harmonia-plugin-snapshot") }
        #expect(!snapshots.isEmpty, "the changed file should have been loaded from a snapshot")
        #expect(snapshots.allSatisfy { $0.hasSuffix("(deleted)") }, "\(snapshots)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-plugin-snapshots-\(getpid())")
        #expect(!FileManager.default.fileExists(atPath: folder.path))
        // The superseded instance still answers calls that hold it.
        #expect(await before.invoke(call("noop")) == .success(.emptyObject))

        // A removed file's components leave the registry.
        try FileManager.default.removeItem(at: bed.directory.appendingPathComponent("libexample.so"))
        bed.manager.reload()
        #expect(bed.registry.adapter(for: "example") == nil)
        #expect(bed.registry.adapter(for: "echo") != nil)
        try? FileManager.default.removeItem(at: staging.deletingLastPathComponent())
    }
}

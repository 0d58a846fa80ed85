import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaPlugins
import Testing

/// `loadOnDemand` (Hermes mode): a rescan opens nothing new and registers nothing;
/// `instantiate` opens the file named after the component, and only when none serves it
/// the other files, one at a time, sparing those named after a presumed component; a
/// reload refreshes the files already opened and builds no instances.
@Suite(.timeLimit(.minutes(2)))
struct PluginOnDemandTests {
    /// The file names of the records with `status`, sorted by path.
    func files(_ bed: PluginTestBed, _ status: PluginRecord.Status = .loaded) -> [String] {
        bed.manager.records.filter { $0.status == status }.map { ($0.path as NSString).lastPathComponent }
    }

    func instantiate(_ bed: PluginTestBed, _ component: String, presumed: Set<String> = []) throws -> PluginAdapter {
        try bed.manager.instantiate(component: component, settings: ComponentConfiguration(), presumed: presumed).get()
    }

    @Test func aRescanOpensNothingAndAComponentOpensOnlyTheFileNamedAfterIt() async throws {
        let bed = try PluginTestBed(activateUnconfigured: true, loadOnDemand: true)
        defer { bed.cleanUp() }
        try await PluginFixtures.buildExample(into: bed.directory)
        try PluginFixtures.install(try PluginFixtures.echoLibrary(), into: bed.directory)

        #expect(bed.manager.reload().isEmpty, "no file is opened by a scan")
        #expect(bed.registry.all.isEmpty)

        let example = try instantiate(bed, "example")
        #expect(files(bed) == ["libexample.so"], "lib<Name>.so, and nothing else")
        #expect(bed.registry.all.isEmpty, "instances are the caller's to register")
        #expect(await example.invoke(call("upper", ["text": "on demand"])).output == ["result": "ON DEMAND"])

        _ = try instantiate(bed, "Echo")
        #expect(files(bed) == ["libHarmoniaEcho.so", "libexample.so"])
        #expect(bed.manager.reload().filter { $0.status == .loaded }.count == 2, "unchanged files are left alone")
        #expect(files(bed, .superseded).isEmpty)
        #expect(bed.registry.all.isEmpty)
    }

    @Test func otherFilesAreOpenedOneAtATimeOnlyWhenNoneIsNamedAfterTheComponent() async throws {
        let bed = try PluginTestBed(loadOnDemand: true)
        defer { bed.cleanUp() }
        let staging = try PluginFixtures.makeDirectory("staging")
        defer { try? FileManager.default.removeItem(at: staging.deletingLastPathComponent()) }
        // `example` lives in a file named after nothing; `libzz.so` sorts after it and would
        // be refused if it were ever opened.
        try await PluginFixtures.buildExample(into: bed.directory, name: "libmulti.so")
        try PluginFixtures.install(try await PluginFixtures.buildFixture("wrong_major", into: staging), into: bed.directory, as: "libzz.so")
        try PluginFixtures.install(try PluginFixtures.echoLibrary(), into: bed.directory)

        _ = try instantiate(bed, "example", presumed: ["echo", "ergon"])
        #expect(files(bed) == ["libmulti.so"], "libHarmoniaEcho.so is taken to serve echo; the search stops at libmulti.so")
        #expect(files(bed, .refused).isEmpty, "libzz.so was not opened")

        // Nothing serves `nothing`: every file not presumed to serve another component is tried.
        let missing = bed.manager.instantiate(component: "nothing", settings: ComponentConfiguration(), presumed: ["echo"])
        #expect(throws: HarmoniaError(.componentUnavailable, "")) { try missing.get() }
        #expect(files(bed) == ["libmulti.so"])
        #expect(files(bed, .refused) == ["libzz.so"])

        // Without presumptions the echo file is a candidate like any other.
        _ = try instantiate(bed, "example")
        #expect(files(bed) == ["libmulti.so"], "a file in service is used before anything is opened")
        _ = bed.manager.instantiate(component: "nothing", settings: ComponentConfiguration())
        #expect(files(bed) == ["libHarmoniaEcho.so", "libmulti.so"])
    }

    @Test func aReloadRefreshesOpenedFilesBuildsNoInstancesAndOpensNothingNew() async throws {
        let bed = try PluginTestBed(components: ["example": ComponentConfiguration()], loadOnDemand: true)
        defer { bed.cleanUp() }
        let staging = try PluginFixtures.makeDirectory("staging")
        defer { try? FileManager.default.removeItem(at: staging.deletingLastPathComponent()) }
        try await PluginFixtures.buildExample(into: bed.directory)
        let v1 = try instantiate(bed, "example")
        #expect(bed.manager.isInService(v1))

        // A new version of the opened file, and a file nothing asked for.
        let fingerprint = bed.manager.filesFingerprint
        let v2File = try await PluginFixtures.buildExample(into: staging, name: "v2.so", defines: [#"EXAMPLE_VERSION="2.0.0""#])
        try PluginFixtures.install(v2File, into: bed.directory, as: "libexample.so")
        try PluginFixtures.install(try PluginFixtures.echoLibrary(), into: bed.directory)
        #expect(bed.manager.filesFingerprint != fingerprint)
        bed.manager.reload()
        #expect(files(bed) == ["libexample.so"], "libHarmoniaEcho.so stays unopened")
        #expect(bed.record(named: "libexample.so")?.version == "2.0.0")
        #expect(bed.manager.records.contains { $0.status == .superseded && $0.version == "1.0.0" })
        #expect(bed.registry.all.isEmpty, "even a configured component gets no instance from a reload")
        #expect(!bed.manager.isInService(v1), "its owner must instantiate again")
        #expect(await v1.invoke(call("noop")).output == .emptyObject, "the old instance still answers")

        let v2 = try instantiate(bed, "example")
        #expect(bed.manager.isInService(v2))
        #expect(bed.manager.pluginVersion(path: v2.pluginPath) == "2.0.0")

        // A removed file is dropped; nothing else is opened looking for its component.
        try FileManager.default.removeItem(at: bed.directory.appendingPathComponent("libexample.so"))
        bed.manager.reload()
        #expect(files(bed).isEmpty)
        #expect(!bed.manager.isInService(v2))
        let gone = bed.manager.instantiate(component: "example", settings: ComponentConfiguration(), presumed: ["echo"])
        #expect(throws: HarmoniaError(.componentUnavailable, "")) { try gone.get() }
        #expect(files(bed).isEmpty)
    }
}

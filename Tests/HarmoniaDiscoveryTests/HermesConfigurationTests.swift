import HarmoniaCore
import Testing

@testable import HarmoniaDiscovery

struct HermesConfigurationTests {
    @Test func hermesURLWins() {
        let url = HermesConfiguration.url(fromEnvironment: ["HERMES_URL": "http://hermes:9001", "HERMES_HOST": "other"])
        #expect(url == "http://hermes:9001")
    }

    @Test func hostAndPortAssembleTheURL() {
        #expect(HermesConfiguration.url(fromEnvironment: ["HERMES_HOST": "h", "HERMES_PORT": "9"]) == "http://h:9")
        #expect(HermesConfiguration.url(fromEnvironment: ["TEKTON_HOST": "t"]) == "http://t:8001")
        #expect(HermesConfiguration.url(fromEnvironment: ["HERMES_HOST": "h", "TEKTON_HOST": "t"]) == "http://h:8001")
        #expect(HermesConfiguration.url(fromEnvironment: ["HERMES_PORT": "8101"]) == "http://localhost:8101")
    }

    @Test func nothingSetMeansNoHermes() {
        #expect(HermesConfiguration.url(fromEnvironment: [:]) == nil)
        #expect(HermesConfiguration.url(fromEnvironment: ["HERMES_URL": "  "]) == nil)
    }

    @Test func harmoniaRegistersWhatTektonExpects() {
        let registration = HermesRegistration.harmonia(endpoint: "http://localhost:8007", version: "0.1.0", dataDirectory: "/d")
        let json = registration.json.objectValue ?? [:]
        #expect(json["component_id"] == .string("harmonia"))
        #expect(json["name"] == .string("harmonia"))
        #expect(json["type"] == .string("harmonia"))
        #expect(json["endpoint"] == .string("http://localhost:8007"))
        #expect(
            json["capabilities"]
                == .array(["workflow_orchestration", "state_management", "event_streaming", "component_coordination"].map { .string($0) }))
        let metadata = json["metadata"]?.objectValue ?? [:]
        #expect(metadata["version"] == .string("0.1.0"))
        #expect(metadata["data_dir"] == .string("/d"))
        #expect(metadata["event_types"]?.arrayValue?.contains(.string("task_completed")) == true)
    }
}

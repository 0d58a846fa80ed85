import Foundation
import HarmoniaCore
import Testing

@testable import HarmoniaDiscovery

struct ComponentResolverTests {
    let resolver = ComponentResolver(known: TektonComponents.names)

    func entry(
        _ name: String, id: String? = nil, endpoint: String? = "http://localhost:8000", port: Int? = nil,
        at seconds: Double? = nil
    ) -> HermesComponent {
        HermesComponent(
            componentID: id ?? "\(name)-\(name)-0a1b2c3d", name: name, port: port, endpoint: endpoint,
            registeredAt: seconds.map { Date(timeIntervalSince1970: $0) })
    }

    @Test func mapsByLowerCasedName() {
        let result = resolver.resolve([entry("Engram", id: "x")])
        #expect(result["engram"]?.endpoint == "http://localhost:8000")
        #expect(result["engram"]?.rule == .name)
    }

    @Test func fallsBackToTheComponentIDPrefix() {
        let result = resolver.resolve([entry("Memory Service", id: "engram-memory-0a1b2c3d")])
        #expect(result["engram"]?.rule == .componentID)
    }

    @Test func fallsBackToThePort() {
        let byEndpoint = resolver.resolve([entry("Mystery", id: "x", endpoint: "http://localhost:8002")])
        #expect(byEndpoint["ergon"]?.rule == .port)
        let byPortField = resolver.resolve([entry("Mystery", id: "x", endpoint: nil, port: 8006)])
        #expect(byPortField["prometheus"]?.endpoint == "http://localhost:8006")
    }

    @Test func unmappableEntriesAreLeftOut() {
        #expect(resolver.resolve([entry("Mystery", id: "x", endpoint: "http://localhost:9999")]).isEmpty)
    }

    @Test func newestRegisteredAtWinsWhateverTheOrder() {
        let old = entry("engram", id: "a", endpoint: "http://old:8000", at: 100)
        let new = entry("engram", id: "b", endpoint: "http://new:8000", at: 200)
        #expect(resolver.resolve([old, new])["engram"]?.endpoint == "http://new:8000")
        #expect(resolver.resolve([new, old])["engram"]?.endpoint == "http://new:8000")
        let undated = entry("engram", id: "c", endpoint: "http://undated:8000")
        #expect(resolver.resolve([new, undated])["engram"]?.componentID == "b")
    }

    @Test func hostVariableOverridesTheRegisteredHost() {
        let resolver = ComponentResolver(known: ["engram"], environment: ["ENGRAM_HOST": "10.1.2.3"])
        let result = resolver.resolve([entry("engram", endpoint: "http://localhost:8100/base")])
        #expect(result["engram"]?.endpoint == "http://10.1.2.3:8100/base")
    }

    @Test func harmoniaItselfIsIgnored() {
        let result = resolver.resolve([
            entry("harmonia", id: "harmonia", endpoint: "http://localhost:8007"),
            entry("Other", id: "harmonia-old-0a1b2c3d", endpoint: "http://localhost:9999"),
        ])
        #expect(result.isEmpty)
    }

    @Test func readsHermesRecordsLeniently() throws {
        let json = try JSONValue.parse(
            #"{"component_id": "engram-engram-12345678", "name": "engram", "version": "0.1.0", "type": null, "port": null, "status": "unknown", "capabilities": ["memory"], "endpoint": "http://localhost:8000", "last_heartbeat": null, "registered_at": 1732761234.5, "metadata": {}}"#)
        let component = try #require(HermesComponent(json: json))
        #expect(component.type == nil)
        #expect(component.lastHeartbeat == nil)
        #expect(component.registeredAt == Date(timeIntervalSince1970: 1732761234.5))
        #expect(HermesComponent.date(.string("2024-11-28T02:17:35.250Z")) != nil)
        #expect(HermesComponent.date(.string("2024-11-28T02:17:35")) != nil)
    }
}

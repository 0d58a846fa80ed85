import Testing

@testable import HarmoniaDiscovery

struct ReconcilePlanTests {
    let engram = DiscoveredComponent(name: "engram", endpoint: "http://h:8000", componentID: "engram-1")

    @Test func withoutHermesTheConfigurationIsServed() {
        let desired = ReconcilePlan.desired(hermes: nil, statics: [StaticComponent(name: "Ergon", endpoint: "http://e:8002")])
        #expect(desired["ergon"]?.source == .config)
        #expect(desired["ergon"]?.endpoint == "http://e:8002")
    }

    @Test func hermesWinsUnlessTheConfigurationIsPinned() {
        let statics = [
            StaticComponent(name: "engram", endpoint: "http://config:8000"),
            StaticComponent(name: "ergon", endpoint: "http://config:8002", pinned: true),
        ]
        let ergon = DiscoveredComponent(name: "ergon", endpoint: "http://h:8002", componentID: "ergon-1")
        let desired = ReconcilePlan.desired(hermes: ["engram": engram, "ergon": ergon], statics: statics)
        #expect(desired["engram"]?.source == .hermes)
        #expect(desired["engram"]?.endpoint == "http://h:8000")
        #expect(desired["ergon"]?.source == .config)
        #expect(desired["ergon"]?.endpoint == "http://config:8002")
    }

    @Test func configuredComponentsFillInWhatHermesDoesNotList() {
        let desired = ReconcilePlan.desired(
            hermes: ["engram": engram], statics: [StaticComponent(name: "rhetor", endpoint: "http://r:8003")])
        #expect(desired.keys.sorted() == ["engram", "rhetor"])
    }

    @Test func changesLoadReconfigureRelabelAndRemove() {
        let a = DesiredComponent(name: "a", source: .hermes, endpoint: "http://a")
        let b = DesiredComponent(name: "b", source: .hermes, endpoint: "http://b")
        let c = DesiredComponent(name: "c", source: .config, endpoint: "http://c")
        var movedB = b
        movedB.endpoint = "http://b2"
        var relabelledC = c
        relabelledC.source = .hermes
        let d = DesiredComponent(name: "d", source: .hermes, endpoint: "http://d")
        let changes = ReconcilePlan.changes(
            current: ["a": a, "b": b, "c": c], desired: ["b": movedB, "c": relabelledC, "d": d])
        #expect(changes == [.remove("a"), .reconfigure(movedB), .relabel(relabelledC), .load(d)])
        #expect(ReconcilePlan.changes(current: ["a": a], desired: ["a": a]).isEmpty)
    }
}

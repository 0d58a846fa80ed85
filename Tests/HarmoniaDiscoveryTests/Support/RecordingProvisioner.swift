import HarmoniaCore
import HarmoniaDiscovery
import Synchronization
import Testing

/// An adapter that only remembers where it was told its component is.
struct EndpointAdapter: ComponentAdapter {
    let component: String
    let endpoint: String
    var actions: [ActionDescriptor] { [ActionDescriptor(name: "ping", description: "answers with its endpoint")] }

    func invoke(_ invocation: Invocation) async -> InvocationResult {
        .success(.object(["result": .string(endpoint)]))
    }
}

/// A provisioner that builds `EndpointAdapter`s and records every request; components in
/// `failing` are refused, as a missing plugin would be.
final class RecordingProvisioner: AdapterProvisioner {
    let knownComponents: Set<String>
    private let state = Mutex<(requests: [ProvisionRequest], failing: Set<String>)>(([], []))

    init(known: Set<String> = ["engram", "ergon", "rhetor", "prometheus", "synthesis"], failing: Set<String> = []) {
        self.knownComponents = known
        state.withLock { $0.failing = failing }
    }

    var requests: [ProvisionRequest] { state.withLock { $0.requests } }

    func requests(for component: String) -> [ProvisionRequest] { requests.filter { $0.component == component } }

    func setFailing(_ failing: Set<String>) { state.withLock { $0.failing = failing } }

    func makeAdapter(_ request: ProvisionRequest) async throws -> ProvisionedAdapter {
        let refuse = state.withLock { state -> Bool in
            state.requests.append(request)
            return state.failing.contains(request.component)
        }
        if refuse { throw HarmoniaError(.adapterUnavailable, "no plugin serves '\(request.component)'") }
        return ProvisionedAdapter(
            adapter: EndpointAdapter(component: request.component, endpoint: request.endpoint),
            pluginFile: "/plugins/lib\(request.component).so", version: "1.0.0")
    }
}

/// Wraps a provisioner and records when each component's adapter was built.
final class TimingProvisioner: AdapterProvisioner {
    let base: any AdapterProvisioner
    private let times = Mutex<[(component: String, at: ContinuousClock.Instant)]>([])

    init(_ base: any AdapterProvisioner) { self.base = base }

    var knownComponents: Set<String> { base.knownComponents }
    var fingerprint: Int? { base.fingerprint }

    func isCurrent(_ adapter: any ComponentAdapter) -> Bool { base.isCurrent(adapter) }

    func builds(of component: String) -> [ContinuousClock.Instant] {
        times.withLock { $0.filter { $0.component == component }.map(\.at) }
    }

    func makeAdapter(_ request: ProvisionRequest) async throws -> ProvisionedAdapter {
        let adapter = try await base.makeAdapter(request)
        times.withLock { $0.append((request.component, .now)) }
        return adapter
    }
}

/// Asserts that `component` was loaded by the first registry poll Hermes answered after
/// `registered` (so within one poll interval of its registration): its adapter was built
/// before Hermes answered the poll after that one. Structural, not a wall-clock bound.
func expectLoadedByFirstPoll(
    _ component: String, registered: ContinuousClock.Instant, hermes: HermesDouble, provisioner: TimingProvisioner,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let polls = hermes.requests("/api/components").filter { $0.at > registered }.map(\.at)
    guard let built = provisioner.builds(of: component).first(where: { $0 > registered }) else {
        Issue.record("\(component) was not built after its registration", sourceLocation: sourceLocation)
        return
    }
    #expect(!polls.isEmpty, sourceLocation: sourceLocation)
    if polls.count >= 2 {
        #expect(built < polls[1], "\(component) was loaded by a later poll than the first", sourceLocation: sourceLocation)
    }
}

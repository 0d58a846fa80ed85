import HarmoniaCore
import HarmoniaDiscovery
import Synchronization

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

import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaEngine
import Hummingbird

/// `GET /status` under the API prefixes: the engine's counters and stored execution counts.
struct StatusRoutes: Sendable {
    let dependencies: RouteDependencies

    func addRoutes(to group: RouterGroup<HarmoniaRequestContext>) {
        group.get("status", use: status)
    }

    @Sendable func status(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let engine = dependencies.engine.status
        let counts = try await dependencies.store.executionCounts()
        var executions: [String: Int] = [:]
        for status in WorkflowStatus.allCases {
            executions[status.rawValue] = counts[status] ?? 0
        }
        let components = dependencies.engine.adapters.all.map { adapter in
            ComponentStatus(name: adapter.component, available: true, actions: adapter.actions.map(\.name))
        }
        return success(
            "engine status",
            StatusResponse(
                version: HarmoniaVersion.current, uptime: dependencies.runtime.uptime, ready: engine.isReady,
                draining: engine.isDraining, activeExecutions: engine.activeExecutions,
                inFlightTasks: engine.inFlightTasks, recoveredExecutions: engine.recoveredExecutions,
                executions: executions, components: components))
    }
}

import Foundation
import HarmoniaCore
import HarmoniaEngine
import Logging
import ServiceLifecycle

/// The run-time stuck check: every `interval`, explains every unfinished execution and
/// reports those that can never progress (a task waiting for a component that was removed
/// from configuration, say) — a warning in the log once per execution, and the count in
/// `/metrics` (`harmonia_stuck_executions`). Without it such an execution is silent.
struct StuckExecutionMonitor: Service {
    let store: any Store
    let engine: Engine
    let interval: Double
    let logger: Logger
    let report: @Sendable (Int) -> Void

    func run() async throws {
        guard interval > 0 else { return }
        await cancelWhenGracefulShutdown {
            var reported: Set<String> = []
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: .seconds(DurationLimit.clamped(interval)))
                } catch {
                    return
                }
                do {
                    reported = try await check(reported: reported)
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("stuck check failed: \(error)")
                }
            }
        }
    }

    /// One pass; returns the ids stuck now, so each is logged once until it moves again.
    func check(reported: Set<String>) async throws -> Set<String> {
        var definitions: [String: WorkflowDefinition] = [:]
        var stuck: Set<String> = []
        for state in try await store.unfinishedExecutions() {
            let key = "\(state.record.workflowID)@\(state.record.workflowVersion)"
            if definitions[key] == nil {
                definitions[key] = try await store.workflow(id: state.record.workflowID, version: state.record.workflowVersion)
            }
            guard let definition = definitions[key] else { continue }
            let explanation = ExecutionExplainer.explain(
                state, definition: definition, defaultMaxConcurrency: engine.configuration.defaultMaxConcurrency,
                component: engine.adapters.readiness(of:))
            guard !explanation.canProgress else { continue }
            stuck.insert(state.id)
            if !reported.contains(state.id) {
                logger.warning(
                    "execution \(state.id) is stuck: \(explanation.summary)",
                    metadata: ["execution_id": "\(state.id)", "stuck_tasks": "\(explanation.stuckTasks.joined(separator: ","))"])
            }
        }
        for id in reported.subtracting(stuck) {
            logger.notice("execution \(id) is no longer stuck")
        }
        report(stuck.count)
        return stuck
    }
}

import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaEngine
import Hummingbird
import Logging

/// `/executions`: start, list, read, read the event log, cancel, pause and resume.
struct ExecutionRoutes: Sendable {
    let dependencies: RouteDependencies
    let starter: ExecutionStarter

    func addRoutes(to group: RouterGroup<HarmoniaRequestContext>) {
        group.post("executions", use: create)
        group.get("executions", use: list)
        group.get("executions/{id}", use: read)
        group.get("executions/{id}/events", use: events)
        group.get("executions/{id}/explain", use: explain)
        group.post("executions/{id}/retry", use: retry)
        group.post("executions/{id}/cancel", use: cancel)
        group.post("executions/{id}/pause", use: pause)
        group.post("executions/{id}/resume", use: resume)
        group.post("executions/{id}/signals/{name}", use: signal)
    }

    @Sendable func create(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        guard let body = try await request.jsonBody(maxBytes: dependencies.maxBodyBytes) else {
            throw HarmoniaError(.invalidRequest, "the request body is empty; send {\"workflow_id\": ..., \"input\": {...}}")
        }
        return try await starter.start(CreateExecutionRequest(json: body), headers: request.headers, logger: context.logger)
    }

    @Sendable func list(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let page = try request.page()
        var status: WorkflowStatus?
        if let text = request.query("status") {
            guard let parsed = WorkflowStatus(rawValue: text.lowercased()) else {
                let names = WorkflowStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw HarmoniaError(.invalidRequest, "unknown status '\(text)' (use one of \(names))", path: "status")
            }
            status = parsed
        }
        let workflowID = request.query("workflow_id") ?? request.query("workflowId")
        func instant(_ name: String) throws -> Date? {
            // Present but empty (`created_before=`) is a mistake, not "no filter".
            guard let raw = request.uri.queryParameters.get(name) else { return nil }
            let text = String(raw)
            guard let date = APICoding.parseTimestamp(text) else {
                throw HarmoniaError(
                    .invalidRequest, "\(name) must be an ISO-8601 timestamp like 2026-12-07T16:00:00Z, got '\(text)'", path: name)
            }
            return date
        }
        var query = ExecutionQuery(
            status: status, workflowID: workflowID, createdAfter: try instant("created_after"),
            createdBefore: try instant("created_before"), limit: page.limit, offset: page.offset)
        query.parentExecutionID = request.query("parent_execution_id")
        let records = try await dependencies.store.listExecutions(query)
        return success(
            "\(records.count) execution(s)",
            ExecutionList(
                executions: records.map { ExecutionView(record: $0) }, limit: page.limit, offset: page.offset))
    }

    @Sendable func read(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let id = try context.requiredID()
        guard let state = try await dependencies.store.execution(id: id) else {
            throw HarmoniaError(.notFound, "no execution with id \(id)")
        }
        let definition = try await dependencies.store.workflow(
            id: state.record.workflowID, version: state.record.workflowVersion)
        return success("execution found", ExecutionDetail(state, definition: definition))
    }

    /// "Why is it waiting": every unfinished task's wait, from the stored state and the
    /// components' availability now (`ExecutionExplainer`).
    @Sendable func explain(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let id = try context.requiredID()
        guard let state = try await dependencies.store.execution(id: id) else {
            throw HarmoniaError(.notFound, "no execution with id \(id)")
        }
        guard
            let definition = try await dependencies.store.workflow(
                id: state.record.workflowID, version: state.record.workflowVersion)
        else {
            throw HarmoniaError(.notFound, "execution \(id)'s workflow \(state.record.workflowID) is gone")
        }
        let children = try await childStatuses(state, definition: definition)
        let explanation = ExecutionExplainer.explain(
            state, definition: definition, defaultMaxConcurrency: dependencies.engine.configuration.defaultMaxConcurrency,
            childStatus: { children[$0] },
            component: dependencies.engine.adapters.readiness(of:))
        return success("execution explained", ExecutionExplanationView(explanation))
    }

    /// Re-run from failure: a new execution keeping the completed tasks' outputs.
    @Sendable func retry(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let id = try context.requiredID()
        let started = try await dependencies.engine.retry(executionID: id)
        context.logger.info(
            "execution retried", metadata: ["original_execution_id": "\(id)", "execution_id": "\(started.state.id)"])
        return success(
            "execution \(started.state.id) re-runs \(id) from where it stopped", ExecutionStatusView(started.state),
            status: .created)
    }

    @Sendable func events(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let id = try context.requiredID()
        let afterSeq = try request.integerQuery("after_seq", default: 0, range: 0...Int.max)
        let limit = try request.integerQuery("limit", default: 1000, range: 1...10_000)
        let events = try await dependencies.store.events(executionID: id, afterSeq: Int64(afterSeq), limit: limit)
        // An empty page is ambiguous: the log may be read to the end, or the id unknown.
        if events.isEmpty, try await dependencies.store.execution(id: id) == nil {
            throw HarmoniaError(.notFound, "no execution with id \(id)")
        }
        return success(
            "\(events.count) event(s)", EventPage(executionID: id, events: events, afterSeq: Int64(afterSeq)))
    }

    @Sendable func cancel(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let id = try context.requiredID()
        let body = try await request.jsonBody(maxBytes: dependencies.maxBodyBytes) ?? .emptyObject
        let control = try ControlRequest(json: body)
        let state = try await dependencies.engine.cancel(executionID: id, reason: control.reason)
        context.logger.info("execution canceled", metadata: ["execution_id": "\(id)"])
        return success("execution canceled", ExecutionStatusView(state))
    }

    @Sendable func pause(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let id = try context.requiredID()
        let state = try await dependencies.engine.pause(executionID: id)
        context.logger.info("execution paused", metadata: ["execution_id": "\(id)"])
        return success("execution paused", ExecutionStatusView(state))
    }

    @Sendable func resume(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let id = try context.requiredID()
        let state = try await dependencies.engine.resume(executionID: id)
        context.logger.info("execution resumed", metadata: ["execution_id": "\(id)"])
        return success("execution resumed", ExecutionStatusView(state))
    }
}

import HarmoniaAPIModels
import HarmoniaCore
import Hummingbird
import Foundation

/// The instances of a map task (`for_each`), a page at a time: a map may run 10,000 of them,
/// more than `GET /executions/{id}` should carry, so that shows counts and this the rows.
struct InstanceRoutes: Sendable {
    let dependencies: RouteDependencies

    func addRoutes(to group: RouterGroup<HarmoniaRequestContext>) {
        group.get("executions/{id}/tasks/{task}/instances", use: list)
    }

    @Sendable func list(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let id = try context.requiredID()
        guard let rawTask = context.parameters.get("task"), let taskID = rawTask.removingPercentEncoding, !taskID.isEmpty else {
            throw HarmoniaError(.invalidRequest, "the path is missing a valid task id", path: "task")
        }
        let page = try request.page(defaultLimit: 100, maxLimit: 1000)
        guard let state = try await dependencies.store.execution(id: id) else {
            throw HarmoniaError(.notFound, "no execution with id \(id)")
        }
        guard state.tasks[taskID] != nil else {
            throw HarmoniaError(.notFound, "execution \(id) has no task '\(taskID)'")
        }
        let definition = try await dependencies.store.workflow(id: state.record.workflowID, version: state.record.workflowVersion)
        if let task = definition?.tasks.first(where: { $0.id == taskID }), !task.isMap {
            throw HarmoniaError(.notFound, "task '\(taskID)' of execution \(id) is not a map task (it has no for_each), so it has no instances")
        }
        let instances = state.instances[taskID] ?? []
        let start = min(page.offset, instances.count)
        let end = min(start + page.limit, instances.count)
        return success(
            "\(end - start) of \(instances.count) instance(s)",
            TaskInstancePage(
                executionID: id, taskID: taskID, counts: TaskInstanceCounts(instances), offset: page.offset, limit: page.limit,
                instances: Array(instances[start..<end])))
    }
}

import HarmoniaClient

/// `fanout`: one execution of `fanoutLayers` layers of `fanoutWidth` noop tasks (100 × 100
/// = 10,000 by default), each task depending on the task at the same position in the layer
/// before (fan-in 1: `fanin` and `layers` measure joins).
///
/// Timed and audited by `MeasuredExecution`: start request sent → completion polled.
/// Transitions are counted in the stored log.
struct FanoutScenario: BenchScenario {
    var name: ScenarioName { .fanout }

    func run(_ context: BenchContext, server: EmbeddedServer?) async throws -> ScenarioResult {
        let sizes = context.sizes
        let taskCount = sizes.fanoutWidth * sizes.fanoutLayers
        let (definition, taskIDs) = WorkflowShapes.fanout(width: sizes.fanoutWidth, layers: sizes.fanoutLayers)
        context.progress("fanout: one execution of \(sizes.fanoutLayers) layers × \(sizes.fanoutWidth) noop tasks")
        let measured = try await MeasuredExecution.run(context, definition: definition, taskIDs: taskIDs)

        var result = ScenarioResult(scenario: .fanout)
        result.seconds = measured.seconds
        result.tasksPerSecond = Double(taskCount) / measured.seconds
        result.transitionsPerSecond = Double(measured.audit.transitions) / measured.seconds
        result.fields = measured.fields(tasks: taskCount)
        result.fields["width"] = .integer(sizes.fanoutWidth)
        result.fields["layers"] = .integer(sizes.fanoutLayers)
        return result
    }
}

import HarmoniaClient

/// `layers`: one execution of `layersCount` layers of `layersWidth` noop tasks, every task
/// depending on every task of the layer before (10 × 100 by default: 90,000 edges, a
/// definition of about 0.8 MB). Each completion of one layer is an input to all of the next
/// layer's joins, so a scheduler that re-scans dependencies on each completion pays
/// width² per layer here.
///
/// Timed and audited by `MeasuredExecution`; the target is on `server_seconds`.
struct LayersScenario: BenchScenario {
    var name: ScenarioName { .layers }

    func run(_ context: BenchContext, server: EmbeddedServer?) async throws -> ScenarioResult {
        let sizes = context.sizes
        let taskCount = sizes.layersCount * sizes.layersWidth
        context.progress("layers: \(sizes.layersCount) layers × \(sizes.layersWidth) noop tasks, each after the whole layer before")
        let (definition, taskIDs) = WorkflowShapes.layers(count: sizes.layersCount, width: sizes.layersWidth)
        let measured = try await MeasuredExecution.run(context, definition: definition, taskIDs: taskIDs)

        var result = ScenarioResult(scenario: .layers)
        result.seconds = measured.seconds
        result.tasksPerSecond = Double(taskCount) / measured.seconds
        result.transitionsPerSecond = Double(measured.audit.transitions) / measured.seconds
        result.fields = measured.fields(tasks: taskCount)
        result.fields["layers"] = .integer(sizes.layersCount)
        result.fields["width"] = .integer(sizes.layersWidth)
        result.fields["edges"] = .integer((sizes.layersCount - 1) * sizes.layersWidth * sizes.layersWidth)
        return result
    }
}

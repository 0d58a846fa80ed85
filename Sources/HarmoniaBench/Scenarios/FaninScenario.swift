import HarmoniaClient

/// `fanin`: one root task, `faninWidth` parallel noop tasks after it, and one `join` task
/// that depends on all of them; then the same shape `faninWideWidth` wide, on the same
/// server, to show how a join scales.
///
/// The shared columns are the narrow run's (its transitions/s is what `ratio_to_sqlite_batched`
/// compares); the wide run's figures are fields, with `time_per_task_ratio` = (wide seconds
/// per task) ÷ (narrow seconds per task): 1 is linear scaling, N/1000 would be quadratic.
/// The default wide width is 9,998 so the workflow holds the server's maximum of 10,000
/// tasks (root + 9,998 + join). Each run is timed and audited by `MeasuredExecution`.
struct FaninScenario: BenchScenario {
    var name: ScenarioName { .fanin }

    func run(_ context: BenchContext, server: EmbeddedServer?) async throws -> ScenarioResult {
        let sizes = context.sizes
        context.progress("fanin: root → \(sizes.faninWidth) noop tasks → join, then \(sizes.faninWideWidth) wide")
        let narrow = try await measure(context, width: sizes.faninWidth)
        let wide = try await measure(context, width: sizes.faninWideWidth)

        let narrowTasks = sizes.faninWidth + 2
        let wideTasks = sizes.faninWideWidth + 2
        var result = ScenarioResult(scenario: .fanin)
        result.seconds = narrow.seconds
        result.tasksPerSecond = Double(narrowTasks) / narrow.seconds
        result.transitionsPerSecond = Double(narrow.audit.transitions) / narrow.seconds
        result.fields = narrow.fields(tasks: narrowTasks)
        result.fields["width"] = .integer(sizes.faninWidth)
        result.fields["wide_width"] = .integer(sizes.faninWideWidth)
        result.fields["wide_tasks"] = .integer(wideTasks)
        result.fields["wide_transitions"] = .integer(wide.audit.transitions)
        result.fields["wide_seconds"] = ScenarioResult.number(wide.seconds)
        result.fields["wide_transitions_per_second"] = ScenarioResult.number(Double(wide.audit.transitions) / wide.seconds)
        result.fields["wide_server_seconds"] = ScenarioResult.number(wide.serverSeconds)
        let narrowPerTask = narrow.seconds / Double(narrowTasks)
        let widePerTask = wide.seconds / Double(wideTasks)
        result.fields["time_per_task_ratio"] = ScenarioResult.number(widePerTask / narrowPerTask)
        return result
    }

    private func measure(_ context: BenchContext, width: Int) async throws -> MeasuredExecution {
        let (definition, taskIDs) = WorkflowShapes.fanin(width: width)
        return try await MeasuredExecution.run(context, definition: definition, taskIDs: taskIDs)
    }
}

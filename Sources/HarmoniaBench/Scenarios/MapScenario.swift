import HarmoniaClient

/// `map`: one map task (`for_each`) over `mapItems` items (10,000 by default) of the
/// built-in `noop`, its list the output of an upstream `transform`; run twice, without an
/// instance limit and with `max_concurrency` `mapConcurrency` (100).
///
/// Timed and audited by `MeasuredExecution` (start request sent → completion polled); the
/// instances' own events (`task_instance_started`/`_completed`) are counted from the log and
/// must be exactly one completion per item. `seconds` and `tasks_per_second` (instances per
/// second) are the unlimited run's; the limited run's are `limited_*` fields.
struct MapScenario: BenchScenario {
    var name: ScenarioName { .map }

    func run(_ context: BenchContext, server: EmbeddedServer?) async throws -> ScenarioResult {
        let items = context.sizes.mapItems
        let limit = context.sizes.mapConcurrency
        context.progress("map: one map task over \(items) noop items, unlimited, then max_concurrency \(limit)")
        let unlimited = try await measure(context, items: items, limit: nil)
        let limited = try await measure(context, items: items, limit: limit)

        var result = ScenarioResult(scenario: .map)
        result.seconds = unlimited.seconds
        result.tasksPerSecond = Double(items) / unlimited.seconds
        result.transitionsPerSecond = Double(unlimited.instanceEvents) / unlimited.seconds
        result.fields = unlimited.measured.fields(tasks: 2)
        result.fields["items"] = .integer(items)
        result.fields["instance_events"] = .integer(unlimited.instanceEvents)
        result.fields["limited_max_concurrency"] = .integer(limit)
        result.fields["limited_seconds"] = ScenarioResult.number(limited.seconds)
        result.fields["limited_instances_per_second"] = ScenarioResult.number(Double(items) / limited.seconds)
        if let server = limited.measured.serverSeconds {
            result.fields["limited_server_seconds"] = ScenarioResult.number(server)
        }
        return result
    }

    private struct Run {
        let measured: MeasuredExecution
        let instanceEvents: Int
        var seconds: Double { measured.seconds }
    }

    private func measure(_ context: BenchContext, items: Int, limit: Int?) async throws -> Run {
        var fan: [String: JSONValue] = [
            "component": "harmonia", "action": "noop", "for_each": "${tasks.list.output.result}",
            "input": ["item": "${item}", "index": "${index}"],
        ]
        if let limit { fan["max_concurrency"] = .integer(limit) }
        let definition = WorkflowShapes.workflow(
            "bench-map-\(items)-\(limit.map(String.init) ?? "unlimited")",
            tasks: [
                "list": ["component": "harmonia", "action": "transform", "input": ["value": .array((0..<items).map { .integer($0) })]],
                "fan": .object(fan),
            ])
        let measured = try await MeasuredExecution.run(context, definition: definition, taskIDs: ["list", "fan"])
        let (started, completed) = try await instanceEvents(context, executionID: measured.audit.executionID)
        guard completed == items else {
            throw HarmoniaError(
                .benchFailed, "map: execution \(measured.audit.executionID) logged \(completed) instance completions for \(items) items")
        }
        return Run(measured: measured, instanceEvents: started + completed)
    }

    /// `task_instance_started` and `task_instance_completed` events in the log.
    private func instanceEvents(_ context: BenchContext, executionID: String) async throws -> (Int, Int) {
        var started = 0
        var completed = 0
        var after: Int64 = 0
        while true {
            let page = try await context.client.events(executionID: executionID, afterSeq: after, limit: 10_000)
            guard !page.events.isEmpty else { break }
            for event in page.events {
                if event.type == .taskInstanceStarted { started += 1 }
                if event.type == .taskInstanceCompleted { completed += 1 }
            }
            guard page.nextAfterSeq > after else { break }
            after = page.nextAfterSeq
        }
        return (started, completed)
    }
}

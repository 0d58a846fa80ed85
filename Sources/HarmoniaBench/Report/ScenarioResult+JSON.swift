import HarmoniaCore

/// `--json` output: one object per scenario, printed on its own line as soon as the
/// scenario ends, so a long run can be followed (or cut short) with every finished
/// result already kept.
extension ScenarioResult {
    /// The JSON object printed on one line: the shared keys (null where not applicable),
    /// the scenario's fields, and the run's context (machine, load, mode).
    func json(context: RunContext) -> JSONValue {
        var object = fields
        object["scenario"] = .string(scenario.rawValue)
        object["seconds"] = Self.number(seconds)
        object["tasks_per_second"] = Self.number(tasksPerSecond)
        object["transitions_per_second"] = Self.number(transitionsPerSecond)
        object["ack_p50_ms"] = Self.number(ackP50Milliseconds)
        object["ack_p99_ms"] = Self.number(ackP99Milliseconds)
        object["completion_p50_ms"] = Self.number(completionP50Milliseconds)
        object["completion_p99_ms"] = Self.number(completionP99Milliseconds)
        object["peak_rss_mb"] = Self.number(peakRSSMegabytes)
        object["machine"] = context.machine.json
        object["mode"] = .string(context.mode)
        object["synchronous"] = .string(context.synchronous.rawValue)
        object["smoke"] = .bool(context.smoke)
        if let load = context.load {
            object["load_average"] = [.double(load.one), .double(load.five), .double(load.fifteen)]
        }
        if !notes.isEmpty { object["notes"] = .array(notes.map(JSONValue.string)) }
        if let failure { object["failure"] = .string(failure) }
        return .object(object)
    }
}

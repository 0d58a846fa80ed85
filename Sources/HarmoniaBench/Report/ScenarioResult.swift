import HarmoniaCore

/// One scenario's measurement: the columns every scenario shares (nil where a column does
/// not apply) and the scenario's own fields.
public struct ScenarioResult: Sendable {
    public var scenario: ScenarioName
    /// The scenario's end-to-end time; each scenario documents its start and end points.
    public var seconds: Double?
    public var tasksPerSecond: Double?
    /// State transitions (counted from the stored event logs, see `EventLogAudit`) per second.
    public var transitionsPerSecond: Double?
    public var ackP50Milliseconds: Double?
    public var ackP99Milliseconds: Double?
    public var completionP50Milliseconds: Double?
    public var completionP99Milliseconds: Double?
    /// The server process's peak resident set size, MiB; nil against `--url` or without /proc.
    public var peakRSSMegabytes: Double?
    /// Scenario-specific fields, snake_case JSON keys (counts, rates, checks, ratios).
    public var fields: [String: JSONValue]
    /// One-line remarks for the table (what was measured differently, what to read).
    public var notes: [String]
    /// Set when the measurement completed but what it checked did not hold (work lost or
    /// done twice): the result is printed, and the run exits non-zero.
    public var failure: String?

    init(scenario: ScenarioName) {
        self.scenario = scenario
        self.fields = [:]
        self.notes = []
    }

    /// A numeric scenario field, for ratios and the table.
    func number(_ key: String) -> Double? {
        fields[key]?.doubleValue
    }

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

    /// A double rounded to what the measurement can support (microseconds for times,
    /// three decimals otherwise), or null.
    static func number(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .double(rounded(value))
    }

    static func rounded(_ value: Double) -> Double {
        (value * 1000).rounded() / 1000
    }
}

/// What every result line carries besides the measurement itself.
struct RunContext: Sendable {
    var machine: MachineInfo
    /// "embedded" or "url".
    var mode: String
    var synchronous: SQLiteSynchronous
    var smoke: Bool
    /// Load average when the scenario started.
    var load: LoadAverage?
}

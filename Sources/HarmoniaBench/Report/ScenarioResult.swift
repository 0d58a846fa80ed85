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

    /// A double rounded to three decimals (a millisecond of a figure in seconds, a
    /// microsecond of one in milliseconds: finer than any of them is meaningful), or null.
    static func number(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .double(rounded(value))
    }

    static func rounded(_ value: Double) -> Double {
        (value * 1000).rounded() / 1000
    }
}

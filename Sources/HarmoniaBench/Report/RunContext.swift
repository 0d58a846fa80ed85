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

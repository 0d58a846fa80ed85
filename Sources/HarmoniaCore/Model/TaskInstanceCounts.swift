/// How far a map task got: its instances by status (`GET /executions/{id}` shows it on each
/// map task, `explain` on a running one).
public struct TaskInstanceCounts: Sendable, Hashable, Codable {
    public var total = 0
    public var pending = 0
    public var running = 0
    /// Waiting for a retry's backoff, or for their component.
    public var retrying = 0
    public var waiting = 0
    public var completed = 0
    public var failed = 0
    public var canceled = 0

    public init() {}

    public init(_ instances: [TaskInstanceState]) {
        total = instances.count
        for instance in instances {
            switch instance.status {
            case .pending: pending += 1
            case .running: running += 1
            case .retrying: retrying += 1
            case .waiting: waiting += 1
            case .completed: completed += 1
            case .failed: failed += 1
            case .canceled, .skipped: canceled += 1
            }
        }
    }
}

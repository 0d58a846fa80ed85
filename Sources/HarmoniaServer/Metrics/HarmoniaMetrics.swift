import HarmoniaCore
import HarmoniaEngine
import Metrics
import Prometheus
import Synchronization

/// Harmonia's metrics: swift-metrics instruments backed by a Prometheus registry that the
/// application owns.
///
/// Owned rather than installed with `MetricsSystem.bootstrap`: bootstrapping is once per
/// process, and tests start many applications in one process. Each application gets its
/// own registry, and `/metrics` renders that one.
final class HarmoniaMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    /// Seconds per successful task attempt, as the engine measured it (dispatch to result:
    /// essentially the adapter call).
    let taskDuration: Metrics.Timer
    /// Open stream connections by kind (`sse`, `websocket`).
    private let connections: [String: Metrics.Gauge]
    private let openConnections = Mutex<[String: Int]>([:])
    private let executions: [WorkflowStatus: Metrics.Gauge]
    private let activeExecutions: Metrics.Gauge
    private let inFlightTasks: Metrics.Gauge
    /// Tasks ready but not dispatched (held by pause, concurrency limits or a drain).
    private let readyTasks: Metrics.Gauge
    private let subscribers: Metrics.Gauge
    private let commits: Metrics.Gauge
    private let committedInputs: Metrics.Gauge
    /// Unfinished executions that cannot progress without an operator, at the last check.
    private let stuckExecutions: Metrics.Gauge
    private let eventCounters: [EventType: Metrics.Counter]
    /// Adapter-call timers by component, action and outcome, made once each: building a
    /// swift-metrics handle goes through the factory's registry (a lock and a lookup by
    /// label and dimensions), too much to repeat for every task.
    private let adapterTimers = Mutex<[AdapterTimerKey: Metrics.Timer]>([:])

    private struct AdapterTimerKey: Hashable {
        var component: String
        var action: String
        var outcome: String
    }

    /// Task durations range from a no-op (microseconds) to long adapter calls (minutes).
    static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(100),
        .milliseconds(500), .seconds(1), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(300),
    ]

    init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["harmonia_task_duration_seconds"] = Self.durationBuckets
        factory.durationHistogramBuckets["harmonia_adapter_call_duration_seconds"] = Self.durationBuckets
        self.registry = registry
        self.factory = factory

        taskDuration = Metrics.Timer(label: "harmonia_task_duration_seconds", factory: factory)
        connections = Dictionary(uniqueKeysWithValues: ["sse", "websocket"].map {
            ($0, Metrics.Gauge(label: "harmonia_stream_connections", dimensions: [("kind", $0)], factory: factory))
        })
        executions = Dictionary(uniqueKeysWithValues: WorkflowStatus.allCases.map {
            ($0, Metrics.Gauge(label: "harmonia_executions", dimensions: [("status", $0.rawValue)], factory: factory))
        })
        activeExecutions = Metrics.Gauge(label: "harmonia_engine_active_executions", factory: factory)
        inFlightTasks = Metrics.Gauge(label: "harmonia_engine_in_flight_tasks", factory: factory)
        readyTasks = Metrics.Gauge(label: "harmonia_engine_ready_tasks", factory: factory)
        subscribers = Metrics.Gauge(label: "harmonia_event_subscribers", factory: factory)
        commits = Metrics.Gauge(label: "harmonia_engine_commits", factory: factory)
        committedInputs = Metrics.Gauge(label: "harmonia_engine_committed_inputs", factory: factory)
        stuckExecutions = Metrics.Gauge(label: "harmonia_stuck_executions", factory: factory)
        stuckExecutions.record(0)
        eventCounters = Dictionary(uniqueKeysWithValues: EventType.allCases.map {
            ($0, Metrics.Counter(label: "harmonia_events_total", dimensions: [("type", $0.rawValue)], factory: factory))
        })
        for gauge in connections.values { gauge.record(0) }
    }

    /// Counts a committed event and, for a completed task, records its duration.
    func observe(_ event: ExecutionEvent) {
        observe([event])
    }

    /// Counts a batch of committed events (one increment per type present) and records the
    /// durations of completed tasks. Called on the engine's loop (`EventBroadcaster.addObserver`).
    func observe(_ events: [ExecutionEvent]) {
        var counts: [EventType: Int] = [:]
        for event in events {
            counts[event.type, default: 0] += 1
            if event.type == .taskCompleted, let seconds = event.details["duration"]?.doubleValue, seconds >= 0 {
                taskDuration.recordNanoseconds(Int64(seconds * 1e9))
            }
        }
        for (type, count) in counts { eventCounters[type]?.increment(by: count) }
    }

    /// Records one adapter call's latency by component, action and outcome.
    func observe(_ call: AdapterCallRecord) {
        let key = AdapterTimerKey(component: call.component, action: call.action, outcome: call.outcome)
        let timer = adapterTimers.withLock { timers in
            if let timer = timers[key] { return timer }
            let timer = Metrics.Timer(
                label: "harmonia_adapter_call_duration_seconds",
                dimensions: [("component", call.component), ("action", call.action), ("outcome", call.outcome)],
                factory: factory)
            timers[key] = timer
            return timer
        }
        timer.recordNanoseconds(call.duration.nanoseconds)
    }

    /// The stuck check's count (`StuckExecutionMonitor`).
    func stuck(_ count: Int) {
        stuckExecutions.record(count)
    }

    /// A stream connection opened (`delta` 1) or closed (-1).
    func streamConnection(kind: String, delta: Int) {
        let open = openConnections.withLock { counts in
            counts[kind, default: 0] += delta
            return counts[kind, default: 0]
        }
        connections[kind]?.record(open)
    }

    /// The Prometheus text exposition, with the point-in-time gauges read now.
    func render(engine: Engine, store: any Store) async throws -> [UInt8] {
        let counts = try await store.executionCounts()
        for (status, gauge) in executions { gauge.record(counts[status] ?? 0) }
        let status = engine.status
        activeExecutions.record(status.activeExecutions)
        inFlightTasks.record(status.inFlightTasks)
        readyTasks.record(status.readyTasks)
        commits.record(status.commits)
        committedInputs.record(status.committedInputs)
        subscribers.record(engine.events.subscriberCount)
        return registry.emitToBuffer()
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating), for swift-metrics timers.
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : scaled + attoseconds / 1_000_000_000
    }
}

import HarmoniaCore
import HarmoniaEngine
import ServiceLifecycle

/// Feeds the event-derived metrics from one subscription to every execution's events.
///
/// A service of the application, so it starts and stops with it. It reads the broadcaster
/// like any client: the engine never waits for it, and if it falls behind it counts what
/// it missed and subscribes again.
struct MetricsCollector: Service {
    let engine: Engine
    let metrics: HarmoniaMetrics

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let subscription = engine.events.subscribe(executionID: nil, bufferSize: 8192)
                defer { subscription.cancel() }
                do {
                    for try await event in subscription.events {
                        metrics.observe(event)
                    }
                } catch is SubscriberLaggedError {
                    metrics.collectorLags.increment()
                }
            }
        }
    }
}

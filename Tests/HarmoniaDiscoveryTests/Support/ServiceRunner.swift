import Logging
import ServiceLifecycle

/// A logger that stays quiet unless a test is being debugged.
let quietLogger: Logger = {
    var logger = Logger(label: "harmonia.discovery.tests")
    logger.logLevel = .critical
    return logger
}()

/// Runs `services` in a `ServiceGroup` while `body` runs, then shuts the group down
/// gracefully (as SIGTERM would) and waits for it to finish.
func withServices<T>(
    _ services: [any Service], _ body: (ServiceGroup) async throws -> T
) async throws -> T {
    let group = ServiceGroup(
        configuration: .init(services: services, gracefulShutdownSignals: [], logger: quietLogger))
    let running = Task { try await group.run() }
    do {
        let result = try await body(group)
        await group.triggerGracefulShutdown()
        try await running.value
        return result
    } catch {
        await group.triggerGracefulShutdown()
        _ = try? await running.value
        throw error
    }
}

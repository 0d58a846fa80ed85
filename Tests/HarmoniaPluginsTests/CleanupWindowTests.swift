import HarmoniaCore
import Logging
import Testing

@testable import HarmoniaPlugins

/// Which host HTTP requests an invocation may make, and under which limits: while it runs,
/// after a cancel (the cleanup window, also after the host stopped waiting), and after it
/// completed. Time is passed in (`now:`), so every boundary is checked exactly, without
/// waiting for it.
@Suite(.timeLimit(.minutes(1)))
struct CleanupWindowTests {
    let table = InvocationTable()
    let window = Duration.seconds(2)

    func context() -> InvocationTable.Context {
        .init(plugin: "p", component: "ergon", action: "execute_command", logger: Logger(label: "test"), progress: { _ in })
    }

    /// Starts a request for `id` at `now`; the scope it got, or the refusal.
    func request(
        _ id: UInt64, at now: ContinuousClock.Instant = .now, task: Task<Void, Never> = Task {}
    ) -> Result<InvocationTable.RequestScope, Refused> {
        var scope: InvocationTable.RequestScope?
        let refusal = table.startRequest(id, requestID: UInt64.random(in: 1...UInt64.max), now: now) { given in
            scope = given
            return task
        }
        if let refusal { return .failure(Refused(reason: refusal)) }
        return .success(scope!)
    }

    struct Refused: Error { var reason: String }

    /// Runs `body` while `id` is attached (running), then resolves it.
    func running(_ id: UInt64, _ body: () -> Void) async {
        _ = await withCheckedContinuation { continuation in
            #expect(table.attach(id, continuation))
            body()
            if table.isPending(id) { table.resolve(id, .success(.null)) }
        }
    }

    @Test func aRunningCallsRequestsRunUntilItsDeadlineAndAreStoppedByTheCancel() async throws {
        let id = table.nextID()
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        table.insert(id, context: context(), deadline: deadline)
        let longRequest = Task<Void, Never> { try? await Task.sleep(for: .seconds(3600)) }
        await running(id) {
            let scope = try? request(id, task: longRequest).get()
            #expect(scope?.deadline == deadline)
            #expect(scope?.cleanupEnd == nil)
            guard case .running(let stop) = table.requestCancel(id, cleanupWindow: window) else {
                Issue.record("a running call must be reported running")
                return
            }
            #expect(stop.count == 1, "the request made before the cancel is handed back to be stopped")
            for task in stop { task.cancel() }
        }
        await longRequest.value
        #expect(longRequest.isCancelled)
    }

    @Test func afterACancelNewRequestsAreServedUntilTheWindowEndsThenRefused() async throws {
        let id = table.nextID()
        // A deadline that has passed: the cleanup of a call ended by its deadline is not
        // bounded by that deadline, only by the window.
        table.insert(id, context: context(), deadline: .now)
        let cleanupRequest = Task<Void, Never> { try? await Task.sleep(for: .seconds(3600)) }
        defer { cleanupRequest.cancel() }
        await running(id) {
            let before = ContinuousClock.now
            _ = table.requestCancel(id, cleanupWindow: window)
            let after = ContinuousClock.now
            let scope = try? request(id, task: cleanupRequest).get()
            #expect(scope?.deadline == nil)
            guard let end = scope?.cleanupEnd else {
                Issue.record("a request right after the cancel must be served, bounded by the window")
                return
            }
            #expect(before.advanced(by: window) <= end && end <= after.advanced(by: window), "the window runs from the cancel")
            // A second cancel (say, the deadline after a workflow cancel) keeps the window and
            // does not stop the cleanup request.
            guard case .running(let stop) = table.requestCancel(id, cleanupWindow: .seconds(60)) else {
                Issue.record("still running")
                return
            }
            #expect(stop.isEmpty)
            #expect((try? request(id, at: end.advanced(by: .milliseconds(-1))).get())?.cleanupEnd == end)
            guard case .failure(let refused) = request(id, at: end) else {
                Issue.record("a request once the window ended must be refused")
                return
            }
            #expect(refused.reason.contains("ergon.execute_command"))
            #expect(refused.reason.contains("cleanup window of 2 s is over"))
        }
        #expect(!cleanupRequest.isCancelled, "resolving the call does not stop its cleanup")
    }

    @Test func theWindowOutlivesTheHostsWaitForTheCall() async throws {
        let id = table.nextID()
        table.insert(id, context: context())
        await running(id) {
            _ = table.requestCancel(id, cleanupWindow: window)
            // The host gives up (grace over) or the plugin completes: the call is resolved.
            table.resolve(id, .failure(TaskFailure(.canceled, "canceled", retryable: false)))
        }
        #expect(!table.isPending(id))
        let end = try #require(try request(id).get().cleanupEnd)
        #expect(try request(id, at: end.advanced(by: .milliseconds(-1))).get().cleanupEnd == end)
        guard case .failure(let refused) = request(id, at: end.advanced(by: .seconds(1))) else {
            Issue.record("a request after the window must be refused, also once the call is resolved")
            return
        }
        #expect(refused.reason.contains("is over: request refused"))
    }

    @Test func aCompletedCallsRequestsAreRefused() async throws {
        let id = table.nextID()
        table.insert(id, context: context())
        await running(id) {}
        guard case .failure(let refused) = request(id) else {
            Issue.record("a completed call has no window")
            return
        }
        #expect(refused.reason.contains("has completed"))
    }

    @Test func unknownAndNotStartedCallsAreRefused() async throws {
        guard case .failure(let unknown) = request(table.nextID() + 1_000_000) else {
            Issue.record("an unknown id must be refused")
            return
        }
        #expect(unknown.reason.contains("unknown"))

        let id = table.nextID()
        table.insert(id, context: context())
        guard case .notRunning = table.requestCancel(id, cleanupWindow: window) else {
            Issue.record("a call that was not attached is not running")
            return
        }
        guard case .failure(let refused) = request(id) else {
            Issue.record("a call canceled before it started has no window")
            return
        }
        #expect(refused.reason.contains("canceled before it started"))
    }

    @Test func theEarliestLimitBoundsARequestAndIsNamed() {
        let now = ContinuousClock.now
        let own = HTTPTimeLimit.earliest(timeout: .milliseconds(1500), scope: .init(deadline: now.advanced(by: .seconds(5))), now: now)
        #expect(own.instant == now.advanced(by: .milliseconds(1500)))
        #expect(own.message == "no complete answer (head and body) within the request's timeout of 1.5 s")

        let deadline = HTTPTimeLimit.earliest(timeout: .seconds(30), scope: .init(deadline: now.advanced(by: .seconds(2))), now: now)
        #expect(deadline.instant == now.advanced(by: .seconds(2)))
        #expect(deadline.reason == .invocationDeadline)
        #expect(deadline.message.contains("deadline of the invocation"))

        let cleanup = HTTPTimeLimit.earliest(
            timeout: .seconds(30), scope: .init(deadline: now.advanced(by: .seconds(5)), cleanupEnd: now.advanced(by: .seconds(1))),
            now: now)
        #expect(cleanup.instant == now.advanced(by: .seconds(1)))
        #expect(cleanup.message.contains("cleanup window"))

        #expect(CleanupWindow.text(.seconds(2)) == "2 s")
        #expect(CleanupWindow.text(.milliseconds(250)) == "0.25 s")
    }
}

import HarmoniaCore
import Logging
import Testing

@testable import HarmoniaPlugins

/// The table that turns completions into exactly one resumption per invocation.
@Suite(.timeLimit(.minutes(1)))
struct InvocationTableTests {
    let table = InvocationTable()

    func context() -> InvocationTable.Context {
        .init(plugin: "p", component: "c", action: "a", logger: Logger(label: "test"), progress: { _ in })
    }

    @Test func idsAreUniqueAndNeverZero() {
        let ids = (0..<1000).map { _ in table.nextID() }
        #expect(Set(ids).count == 1000)
        #expect(!ids.contains(0))
    }

    /// `complete` and `progress` name only the invocation: a plugin that knows its own ids
    /// must not find another call's id next to them (a counter would hand out neighbours).
    @Test func idsAreUnguessableTokensNotACount() {
        let ids = (0..<1000).map { _ in table.nextID() }.sorted()
        let closest = zip(ids, ids.dropFirst()).map { $1 - $0 }.min() ?? 0
        // 1,000 random 64-bit values: a gap below 2^20 has a chance of about 1 in 10^7.
        #expect(closest > 1 << 20, "two ids only \(closest) apart")
    }

    @Test func theFirstCompletionWinsAndLaterOnesAreNamed() async {
        let id = table.nextID()
        table.insert(id, context: context())
        let result = await withCheckedContinuation { continuation in
            #expect(table.attach(id, continuation))
            #expect(table.resolve(id, .success(["n": 1])).isResumed)
        }
        #expect(result == .success(["n": 1]))
        guard case .alreadyResolved(let again) = table.resolve(id, .success(["n": 2])) else {
            Issue.record("a second completion must be recognised")
            return
        }
        #expect(again.action == "a")
        guard case .unknown = table.resolve(table.nextID() &+ 1_000_000, .success(.null)) else {
            Issue.record("a never-issued id must be unknown")
            return
        }
        #expect(!table.isPending(id))
    }

    @Test func aCancelBeforeAttachStopsTheCall() async {
        let id = table.nextID()
        table.insert(id, context: context())
        #expect(!table.requestCancel(id, cleanupWindow: .seconds(2)).isRunning, "not running yet: nothing to tell the plugin")
        let result = await withCheckedContinuation { continuation in
            #expect(table.attach(id, continuation) == false)
            table.resolve(id, .failure(TaskFailure(.canceled, "canceled", retryable: false)))
        }
        #expect(result.failure?.code == "canceled")
    }

    @Test func aResultBeforeAttachIsDeliveredAtAttach() async {
        let id = table.nextID()
        table.insert(id, context: context())
        table.resolve(id, .success("early"))
        let result = await withCheckedContinuation { continuation in
            #expect(table.attach(id, continuation) == false)
        }
        #expect(result == .success("early"))
    }

    /// The host ends a call's HTTP requests at its deadline; the plugin's report of that
    /// (or anything it sends after the deadline) must not beat the host's `timeout`.
    @Test func aPluginsCompletionAfterTheDeadlineIsTheTimeout() async {
        let id = table.nextID()
        table.insert(id, context: context(), deadline: .now - .milliseconds(1))
        let result = await withCheckedContinuation { continuation in
            #expect(table.attach(id, continuation))
            #expect(table.resolve(id, .failure(TaskFailure(code: "transport_timeout", message: "late", retryable: false)), byPlugin: true).isResumed)
        }
        #expect(result.failure?.code == "timeout" && result.failure?.retryable == true, "\(result)")
        #expect(result.failure?.message == "c.a did not finish by its deadline")

        // Before the deadline the plugin's own result stands.
        let onTime = table.nextID()
        table.insert(onTime, context: context(), deadline: .now + .seconds(3600))
        let kept = await withCheckedContinuation { continuation in
            #expect(table.attach(onTime, continuation))
            table.resolve(onTime, .success("ok"), byPlugin: true)
        }
        #expect(kept == .success("ok"))
    }

    @Test func resolvingCancelsTheInvocationsTimers() async {
        let id = table.nextID()
        table.insert(id, context: context())
        let timer = Task<Void, Never> { try? await Task.sleep(for: .seconds(3600)) }
        _ = await withCheckedContinuation { continuation in
            _ = table.attach(id, continuation)
            table.addTimer(id, timer)
            table.resolve(id, .success(.null))
        }
        await timer.value
        #expect(timer.isCancelled)
    }
}

extension InvocationTable.Resolution {
    var isResumed: Bool {
        if case .resumed = self { return true }
        return false
    }
}

extension InvocationTable.CancelStart {
    var isRunning: Bool {
        if case .running = self { return true }
        return false
    }
}

import Foundation
import HarmoniaCore
import HarmoniaPlugins
import HarmoniaTestSupport
import Logging
import Synchronization
import Testing

/// The invoke → complete bridge with the plain C example adapter: results, failures, and
/// every misbehaviour a plugin can show; each ends in exactly one result.
@Suite(.timeLimit(.minutes(2)))
struct CPluginInvocationTests {
    func loaded(options: JSONValue = .emptyObject, grace: Duration = .milliseconds(300)) async throws -> PluginTestBed {
        let bed = try PluginTestBed(components: ["example": ComponentConfiguration(options: options)], cancelGrace: grace)
        try await PluginFixtures.buildExample(into: bed.directory)
        bed.manager.reload()
        return bed
    }

    @Test func upperCompletesFromAnotherThreadWithTheConfiguredPrefix() async throws {
        let bed = try await loaded(options: ["prefix": "x-"])
        defer { bed.cleanUp() }
        let result = try await bed.adapter("example").invoke(call("upper", ["text": "hello"]))
        #expect(result == .success(["result": "X-HELLO"]))
    }

    @Test func noopCompletesInsideInvoke() async throws {
        let bed = try await loaded()
        defer { bed.cleanUp() }
        let adapter = try bed.adapter("example")
        for _ in 0..<100 {
            #expect(await adapter.invoke(call("noop")) == .success(.emptyObject))
        }
    }

    @Test func failureCarriesCodeRetryableAndDetails() async throws {
        let bed = try await loaded()
        defer { bed.cleanUp() }
        let failure = try #require(await bed.adapter("example").invoke(call("fail")).failure)
        #expect(failure.code == "example_failure")
        #expect(failure.message == "failed on request")
        #expect(failure.retryable == false)
        #expect(failure.details == ["component": "example"])
    }

    @Test func invalidJSONOutputFailsWithAClearError() async throws {
        let bed = try await loaded()
        defer { bed.cleanUp() }
        let failure = try #require(await bed.adapter("example").invoke(call("badjson")).failure)
        #expect(failure.code == "invalid_plugin_output")
        #expect(failure.message.contains("not valid JSON"))
        #expect(failure.message.contains("example.badjson"))
        #expect(failure.retryable == false)
    }

    @Test func aSecondCompletionIsIgnoredAndLogged() async throws {
        let bed = try await loaded()
        defer { bed.cleanUp() }
        let result = try await bed.adapter("example").invoke(call("twice"))
        #expect(result == .success(["result": "first"]))
        await eventually("the host logs \"a second time\" as a warning") { bed.logs.contains("a second time", level: .warning) }
    }

    @Test func aCompletionAfterTheDeadlineIsExpectedAndNotAWarning() async throws {
        let bed = try await loaded()
        defer { bed.cleanUp() }
        // The plugin completes 15 s in; the host's deadline timer (50 ms) must have ended the
        // call before that, or there is nothing late. 15 s, not 5: with two test runs and a
        // build on 2 cores, the timer once took 6.5 s to get a thread.
        let started = ContinuousClock.now
        let failure = try #require(
            await bed.adapter("example").invoke(call("sleep", ["seconds": 15], deadline: Date().addingTimeInterval(0.05))).failure)
        #expect(failure.code == "timeout")
        try #require(ContinuousClock.now - started < .seconds(14), "the host's deadline timer ran after the plugin completed")
        // The ABI asks the plugin to complete exactly once, also late: logged at debug.
        await eventually("the late completion is logged") { bed.logs.contains("after the host stopped waiting") }
        #expect(bed.logs.contains("after the host stopped waiting", level: .debug))
        #expect(!bed.logs.all.contains { $0.level >= .warning && $0.message.contains("completed invocation") })
    }

    @Test func aPluginThatNeverCompletesTimesOutAtTheDeadline() async throws {
        let bed = try await loaded()
        defer { bed.cleanUp() }
        let failure = try #require(
            await bed.adapter("example").invoke(call("never", deadline: Date().addingTimeInterval(0.2))).failure)
        #expect(failure.code == "timeout")
        #expect(failure.message.contains("example.never"))
        // The plugin keeps working.
        #expect(try await bed.adapter("example").invoke(call("noop")) == .success(.emptyObject))
    }

    @Test func cancellingACallThatNeverCompletesEndsItAfterTheGrace() async throws {
        let bed = try await loaded(grace: .milliseconds(100))
        defer { bed.cleanUp() }
        let adapter = try bed.adapter("example")
        let task = Task { await adapter.invoke(call("never")) }
        await eventually("the plugin logs \"never: this call will not complete\"") { bed.logs.contains("never: this call will not complete") }
        task.cancel()
        let failure = try #require(await task.value.failure)
        #expect(failure.code == "canceled")
        #expect(failure.message.contains("did not confirm"))
        await eventually("the plugin logs \"did not answer the cancel\"") { bed.logs.contains("did not answer the cancel", level: .warning) }
    }

    @Test func cancellingACooperativeCallEndsItThroughThePlugin() async throws {
        let bed = try await loaded(grace: .seconds(30))
        defer { bed.cleanUp() }
        let adapter = try bed.adapter("example")
        let task = Task { await adapter.invoke(call("wait")) }
        await eventually("the plugin logs \"wait: waiting for a cancel\"") { bed.logs.contains("wait: waiting for a cancel") }
        task.cancel()
        let failure = try #require(await task.value.failure)
        #expect(failure.code == "canceled")
        #expect(failure.message == "wait canceled", "ended by the plugin, not by the host's grace")
    }

    @Test func aCallCancelledBeforeItStartsNeverReachesThePlugin() async throws {
        let bed = try await loaded()
        defer { bed.cleanUp() }
        let adapter = try bed.adapter("example")
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await adapter.invoke(call("upper", ["text": "x"]))
        }
        #expect(await task.value.failure?.code == "canceled")
    }

    @Test func unknownActionsAreRefusedByTheHost() async throws {
        let bed = try await loaded()
        defer { bed.cleanUp() }
        let failure = try #require(await bed.adapter("example").invoke(call("explode")).failure)
        #expect(failure.code == "unknown_action")
        #expect(failure.message.contains("upper"))
    }

    @Test func manyConcurrentCallsEachGetTheirOwnResult() async throws {
        let bed = try await loaded()
        defer { bed.cleanUp() }
        let adapter = try bed.adapter("example")
        let results = await withTaskGroup(of: (Int, InvocationResult).self) { group in
            for i in 0..<200 {
                group.addTask { (i, await adapter.invoke(call("upper", ["text": .string("t\(i)")]))) }
            }
            var all: [Int: InvocationResult] = [:]
            for await (i, result) in group { all[i] = result }
            return all
        }
        for i in 0..<200 {
            #expect(results[i] == .success(["result": .string("T\(i)")]))
        }
    }
}

import Foundation
import HarmoniaCore
import HarmoniaPlugins
import HarmoniaTestSupport
import Logging
import Synchronization
import Testing

/// The Swift `Echo` adapter (HarmoniaPluginKit) loaded from libHarmoniaEcho.so.
@Suite(.timeLimit(.minutes(2)))
struct SwiftPluginTests {
    func loaded(options: JSONValue = .emptyObject) async throws -> PluginTestBed {
        let bed = try PluginTestBed(components: ["echo": ComponentConfiguration(options: options)], cancelGrace: .seconds(30))
        try PluginFixtures.install(try PluginFixtures.echoLibrary(), into: bed.directory)
        bed.manager.reload()
        return bed
    }

    @Test func echoReturnsItsInputWithTheCallContextAndReportsProgress() async throws {
        let bed = try await loaded()
        defer { bed.cleanUp() }
        let progress = Mutex<[String]>([])
        let result = try await bed.adapter("echo").invoke(
            call("echo", ["message": "hi", "n": 3]) { message in progress.withLock { $0.append(message) } })
        #expect(result == .success(["message": "hi", "n": 3, "result": "hi", "attempt": 1, "idempotency_key": "exec-1:task-1"]))
        #expect(progress.withLock { $0 } == ["echoing"])
        await eventually("the plugin logs \"echo for task-1\"") { bed.logs.contains("echo for task-1", level: .info) }
    }

    @Test func adapterErrorsKeepTheirCodeAndRetryableFlag() async throws {
        let bed = try await loaded()
        defer { bed.cleanUp() }
        let failure = try #require(
            await bed.adapter("echo").invoke(call("fail", ["code": "busy", "retryable": true])).failure)
        #expect(failure.code == "busy")
        #expect(failure.retryable)
        #expect(failure.details?["component"] == "echo")
        #expect(failure.details?["action"] == "fail")
    }

    @Test func taskCancellationReachesTheSwiftAdapter() async throws {
        let bed = try await loaded()
        defer { bed.cleanUp() }
        let adapter = try bed.adapter("echo")
        let task = Task { await adapter.invoke(call("sleep", ["seconds": 60])) }
        await eventually("the plugin logs \"sleeping\"") { bed.logs.contains("sleeping", level: .debug) }
        task.cancel()
        let failure = try #require(await task.value.failure)
        #expect(failure.code == "canceled")
        #expect(failure.message == "echo.sleep was canceled", "ended by the adapter, not by the host's grace")
    }

    @Test func aThrowingInitRejectsTheInstance() async throws {
        let bed = try await loaded(options: ["reject": true])
        defer { bed.cleanUp() }
        let record = try #require(bed.record(named: "libHarmoniaEcho.so"))
        #expect(record.status == .loaded)
        #expect(record.instanceErrors["echo"]?.contains("configured to reject itself") == true)
        #expect(bed.registry.adapter(for: "echo") == nil)
    }
}

/// Plugins make HTTP requests through the host's AsyncHTTPClient; answers, transport
/// errors and the Tekton normalisation.
@Suite(.timeLimit(.minutes(2)))
struct HostHTTPTests {
    @Test func swiftAdapterFetchesThroughTheHost() async throws {
        let server = try TinyHTTPServer(routes: ["/ok": (200, #"{"hello": "world"}"#), "/busy": (503, #"{"detail": "Rhetor not initialized"}"#)])
        defer { server.stop() }
        let bed = try PluginTestBed()
        defer { bed.cleanUp() }
        try PluginFixtures.install(try PluginFixtures.echoLibrary(), into: bed.directory)
        bed.manager.reload()
        let echo = try bed.adapter("echo")

        let ok = await echo.invoke(call("fetch", ["url": .string(server.baseURL + "/ok")]))
        #expect(ok == .success(["result": #"{"hello": "world"}"#, "status": 200]))

        let missing = try #require(await echo.invoke(call("fetch", ["url": .string(server.baseURL + "/nope")])).failure)
        #expect(missing.code == "route_unavailable")
        #expect(missing.retryable == false)
        #expect(missing.details?["http_status"] == 404)

        let busy = try #require(await echo.invoke(call("fetch", ["url": .string(server.baseURL + "/busy")])).failure)
        #expect(busy.code == "upstream_unavailable")
        #expect(busy.retryable)
        #expect(busy.message.contains("Rhetor not initialized"))

        let refused = try #require(await echo.invoke(call("fetch", ["url": .string("http://127.0.0.1:\(closedPort())/x")])).failure)
        #expect(refused.code == "component_unreachable")
        #expect(refused.retryable)
    }

    @Test func cAdapterFetchesThroughTheHost() async throws {
        let server = try TinyHTTPServer(routes: ["/ok": (200, "12345")])
        defer { server.stop() }
        let bed = try PluginTestBed()
        defer { bed.cleanUp() }
        try await PluginFixtures.buildExample(into: bed.directory)
        bed.manager.reload()
        let example = try bed.adapter("example")
        #expect(await example.invoke(call("fetch", ["url": .string(server.baseURL + "/ok")])) == .success(["result": 200, "bytes": 5]))
        let failure = try #require(await example.invoke(call("fetch", ["url": .string("http://127.0.0.1:\(closedPort())/")])).failure)
        #expect(failure.code == "component_unreachable")
        #expect(failure.message.contains("fetch failed"))
    }
}

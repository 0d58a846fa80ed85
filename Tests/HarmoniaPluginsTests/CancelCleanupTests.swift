import Foundation
import HarmoniaCore
import HarmoniaPlugins
import HarmoniaTestSupport
import Testing

/// After a cancel, a plugin may still clean up through the host for a bounded time: the
/// `linger` fixture (plain C, loaded by the real loader) keeps making requests after the
/// cancel until the host refuses one.
@Suite(.timeLimit(.minutes(2)))
struct CancelCleanupTests {
    @Test func aCanceledCallsRequestsAreServedDuringTheWindowAndRefusedAfterIt() async throws {
        let server = try TinyHTTPServer(routes: ["/cleanup": (200, "{}")])
        defer { server.stop() }
        // A window long enough that the first request after the cancel is served on a loaded
        // machine; the plugin asks every 50 ms until refused, so the test lasts about as long.
        let bed = try PluginTestBed(cancelGrace: .seconds(3))
        defer { bed.cleanUp() }
        try await PluginFixtures.buildFixture("linger", into: bed.directory)
        bed.manager.reload()
        let adapter = try bed.adapter("linger")

        let task = Task { await adapter.invoke(call("linger", ["url": .string(server.baseURL + "/cleanup")])) }
        await eventually("the plugin logs \"linger: waiting for a cancel\"") { bed.logs.contains("linger: waiting for a cancel") }
        task.cancel()
        // The engine gets `canceled` (from the plugin or, at the grace's end, from the host).
        #expect(await task.value.failure?.code == "canceled")

        await eventually("the plugin logs \"linger: done\"") { bed.logs.contains("linger: done") }
        #expect(bed.logs.contains("linger request 1: served, HTTP 200"), "a request right after the cancel is served")
        let refused = bed.logs.all.map(\.message).filter { $0.contains(": refused (") }
        #expect(refused.count == 1, "the plugin stops at the first refusal: \(refused)")
        // HARMONIA_HTTP_CANCELED (3), with a message that says why.
        #expect(refused.first?.contains("refused (3): invocation ") == true)
        #expect(refused.first?.contains("(linger.linger) was canceled") == true)
        #expect(refused.first?.contains("its cleanup window of 3 s is over: request refused") == true)
    }
}

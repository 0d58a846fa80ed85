import Foundation
import HarmoniaCore
import HarmoniaPlugins
import HarmoniaTestSupport
import Testing

/// A component that sends its headers and then trickles the body forever cannot keep a
/// host HTTP request alive past its limits: the host bounds the whole exchange, head and
/// body, reports a timeout to the plugin and closes the connection.
@Suite(.timeLimit(.minutes(2)))
struct StreamedBodyTests {
    func loadedEcho() throws -> PluginTestBed {
        let bed = try PluginTestBed()
        try PluginFixtures.install(try PluginFixtures.echoLibrary(), into: bed.directory)
        bed.manager.reload()
        return bed
    }

    // The limits are 2 s, not less: on a loaded machine a request can time out before its
    // head was even written, on a connection the client's pool then keeps idle (the server
    // never sees a request, so there is no trickle to close). The tests wait for every
    // trickle that began to be closed by the client, and require that one began.
    @Test func theRequestsTimeoutEndsABodyThatNeverFinishes() async throws {
        let server = try TricklingHTTPServer()
        defer { server.stop() }
        let bed = try loadedEcho()
        defer { bed.cleanUp() }
        let failure = try #require(
            await bed.adapter("echo").invoke(call("fetch_raw", ["url": .string(server.url), "timeout": 2])).failure)
        // HARMONIA_HTTP_TIMEOUT, as the plugin received it.
        #expect(failure.code == "transport_timeout")
        #expect(failure.message == "no complete answer (head and body) within the request's timeout of 2 s")
        await eventually("the client closed the trickled response (accepted \(server.accepted), requests \(server.requests))") {
            server.closedByClient == server.requests
        }
        #expect(server.requests == 1, "the request did not reach the server within 2 s: nothing was checked")
    }

    @Test func theInvocationsDeadlineEndsABodyThatNeverFinishes() async throws {
        let server = try TricklingHTTPServer()
        defer { server.stop() }
        let bed = try loadedEcho()
        defer { bed.cleanUp() }
        let failure = try #require(
            await bed.adapter("echo").invoke(
                call("fetch_raw", ["url": .string(server.url), "timeout": 60], deadline: Date().addingTimeInterval(2))
            ).failure)
        #expect(failure.code == "timeout")
        #expect(failure.retryable)
        await eventually("the client closed the trickled response (accepted \(server.accepted), requests \(server.requests))") {
            server.closedByClient == server.requests
        }
        #expect(server.requests == 1, "the request did not reach the server within 2 s: nothing was checked")
    }

    @Test func aCompleteBodyStillArrivesWhole() async throws {
        let body = String(repeating: "x", count: 100_000)
        let server = try TinyHTTPServer(routes: ["/big": (200, body)])
        defer { server.stop() }
        let bed = try loadedEcho()
        defer { bed.cleanUp() }
        let result = try await bed.adapter("echo").invoke(call("fetch_raw", ["url": .string(server.baseURL + "/big"), "timeout": 60]))
        #expect(result == .success(["status": 200, "bytes": 100_000]))
    }
}

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

    /// Calls `fetch` with the URL of a fresh trickling server until one of them received the
    /// request head, up to five times; returns that server (still running) and the failure.
    ///
    /// On a loaded machine (the whole test suite in parallel on two cores) a request can
    /// reach its limit before its head was even written, on a connection the client's pool
    /// then keeps idle: the server never sees a request, so there is no trickle to close and
    /// nothing to check. Such an attempt is repeated with twice the time (`fetch` gets the
    /// factor: 1, 2, 4, 8, 16); one whose trickle began is checked.
    func trickled(_ fetch: (String, Double) async throws -> TaskFailure) async throws -> (TricklingHTTPServer, TaskFailure) {
        var attempts: [String] = []
        for attempt in 0..<5 {
            let server = try TricklingHTTPServer()
            let failure = try await fetch(server.url, Double(1 << attempt))
            if server.requests > 0 { return (server, failure) }
            attempts.append("accepted \(server.accepted), no request: \(failure.message)")
            server.stop()
        }
        throw TrickleNeverBegan(description: "no request reached a trickling server: \(attempts)")
    }

    @Test func theRequestsTimeoutEndsABodyThatNeverFinishes() async throws {
        let bed = try loadedEcho()
        defer { bed.cleanUp() }
        let (server, failure) = try await trickled { url, _ in
            try #require(await bed.adapter("echo").invoke(call("fetch_raw", ["url": .string(url), "timeout": 0.5])).failure)
        }
        defer { server.stop() }
        // HARMONIA_HTTP_TIMEOUT, as the plugin received it.
        #expect(failure.code == "transport_timeout")
        #expect(failure.message == "no complete answer (head and body) within the request's timeout of 0.5 s")
        await eventually("the client closed the trickled response") { server.closedByClient == 1 }
        #expect(server.accepted == 1)
    }

    @Test func theInvocationsDeadlineEndsABodyThatNeverFinishes() async throws {
        let bed = try loadedEcho()
        defer { bed.cleanUp() }
        let (server, failure) = try await trickled { url, factor in
            try #require(
                await bed.adapter("echo").invoke(
                    call("fetch_raw", ["url": .string(url), "timeout": 60], deadline: Date().addingTimeInterval(0.5 * factor))
                ).failure)
        }
        defer { server.stop() }
        #expect(failure.code == "timeout")
        #expect(failure.retryable)
        await eventually("the client closed the trickled response") { server.closedByClient == 1 }
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

/// Every attempt of a trickle test timed out before its request reached the server.
struct TrickleNeverBegan: Error, CustomStringConvertible {
    var description: String
}

import NIOCore
import Testing

@testable import HarmoniaServer

/// The connection timeout rules as a pure state machine: no socket, no clock.
struct ConnectionTimeoutsTests {
    let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000)

    func machine(maxRequestLineBytes: Int = 64) -> ConnectionTimeouts {
        ConnectionTimeouts(
            headTimeout: .seconds(10), bodyTimeout: .seconds(30), idleTimeout: .seconds(60),
            maxRequestLineBytes: maxRequestLineBytes)
    }

    func bytes(_ text: String) -> ByteBufferView {
        ByteBuffer(string: text).readableBytesView
    }

    @Test func aHeadThatNeverCompletesExpiresAtTheHeadTimeout() {
        var m = machine()
        #expect(m.connected(now: t0) == .arm(t0 + .seconds(10)))
        #expect(m.received(bytes("GET / HTTP/1.1\r\nHost: x\r\n"), now: t0 + .seconds(1)) == .none)
        #expect(m.timerFired(now: t0 + .seconds(9)) == .arm(t0 + .seconds(10)))
        #expect(m.timerFired(now: t0 + .seconds(10)) == .expire(.head))
        #expect(m.timerFired(now: t0 + .seconds(20)) == .none)
    }

    @Test func aRequestMovesFromHeadToBodyToHandlingToIdle() {
        var m = machine()
        _ = m.connected(now: t0)
        #expect(m.headReceived(now: t0 + .seconds(1)) == .arm(t0 + .seconds(31)))
        #expect(m.bodyEnded() == .none)
        #expect(m.phase == .handling)
        // Handling takes as long as it takes: no timeout fires.
        #expect(m.timerFired(now: t0 + .seconds(500)) == .none)
        m.responseHeadSent()
        #expect(m.responseEnded(now: t0 + .seconds(600)) == .arm(t0 + .seconds(660)))
        #expect(m.timerFired(now: t0 + .seconds(660)) == .expire(.idle))
    }

    @Test func theNextRequestsFirstByteStartsItsHeadTimeout() {
        var m = machine()
        _ = m.connected(now: t0)
        _ = m.headReceived(now: t0)
        _ = m.bodyEnded()
        _ = m.responseEnded(now: t0 + .seconds(1))
        #expect(m.received(bytes("GE"), now: t0 + .seconds(5)) == .arm(t0 + .seconds(15)))
        #expect(m.phase == .readingHead)
    }

    @Test func aBodyThatStopsExpiresAtTheBodyTimeout() {
        var m = machine()
        _ = m.connected(now: t0)
        _ = m.headReceived(now: t0)
        #expect(m.timerFired(now: t0 + .seconds(30)) == .expire(.body))
    }

    @Test func aLongRequestLineIsURITooLongEvenInPieces() {
        var m = machine(maxRequestLineBytes: 64)
        _ = m.connected(now: t0)
        #expect(m.received(bytes("GET /" + String(repeating: "a", count: 40)), now: t0) == .none)
        #expect(m.received(bytes(String(repeating: "a", count: 40)), now: t0) == .uriTooLong)
    }

    @Test func longHeadersAfterAShortRequestLineAreNotAURIProblem() {
        var m = machine(maxRequestLineBytes: 64)
        _ = m.connected(now: t0)
        #expect(m.received(bytes("GET / HTTP/1.1\r\nX-Long: " + String(repeating: "h", count: 500)), now: t0) == .none)
    }

    @Test func bodyBytesAfterAnEarlyResponseAreNotTakenForARequestLine() {
        // A 413 answered before the body was read: the rest of the body still arrives.
        var m = machine(maxRequestLineBytes: 64)
        _ = m.connected(now: t0)
        _ = m.headReceived(now: t0)
        m.responseHeadSent()
        _ = m.responseEnded(now: t0)
        #expect(m.received(bytes(String(repeating: "x", count: 1000)), now: t0) == .none)
        #expect(m.bodyEnded() == .none)
        #expect(m.received(bytes("GET /next HTTP/1.1\r\n"), now: t0 + .seconds(1)) == .arm(t0 + .seconds(11)))
    }

    @Test func pipelinedRequestsWaitForTheirTurn() {
        var m = machine()
        _ = m.connected(now: t0)
        _ = m.headReceived(now: t0)
        _ = m.bodyEnded()
        #expect(m.headReceived(now: t0) == .none)  // the second arrives while the first is answered
        _ = m.bodyEnded()
        #expect(m.responseEnded(now: t0 + .seconds(1)) == .none)
        #expect(m.responseEnded(now: t0 + .seconds(2)) == .arm(t0 + .seconds(62)))
    }
}

import Foundation
import HarmoniaClient
import Testing

/// Thousands of connections that never send a request (slowloris) against the real binary:
/// the server never holds more than `server.max_connections` of them, so it never runs out
/// of file descriptors; the surplus is refused at once, the rest closed by the head timeout,
/// and normal service resumes without a restart.
@Suite(.timeLimit(.minutes(3)))
struct ConnectionFloodTests {
    static let connections = 5_000
    static let cap = 1_000

    /// Open descriptors of process `pid` (Linux `/proc`).
    static func openDescriptors(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }

    @Test func thousandsOfSilentConnectionsDoNotExhaustDescriptors() async throws {
        let binary = try #require(HarmoniaBinary.locate(), "harmonia binary not found \(HarmoniaBinary.searchDescription)")
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }
        let server = try await ServerProcess(
            binary: binary, dataDirectory: dataDirectory.path,
            environment: ["HARMONIA_MAX_CONNECTIONS": "\(Self.cap)", "HARMONIA_REQUEST_HEAD_TIMEOUT": "3"])
        defer { server.kill() }
        let port = try #require(URL(string: server.baseURL)?.port)
        let before = Self.openDescriptors(server.child.pid)

        var flood: [SilentConnection] = []
        let started = ContinuousClock.now
        for _ in 0..<Self.connections {
            flood.append(try SilentConnection(port: port))
        }
        // Give the server time to accept them all, watching its descriptors meanwhile.
        var peak = 0
        var refused = 0
        try await pollUntil("the surplus connections to be refused", timeout: .seconds(30), interval: .milliseconds(100)) {
            peak = max(peak, Self.openDescriptors(server.child.pid))
            refused = flood.filter { $0.isClosedByPeer() }.count
            return refused >= Self.connections - Self.cap - 50
        }
        peak = max(peak, Self.openDescriptors(server.child.pid))
        // Every connection has reached the server by now (the surplus was answered).
        let accepted = ContinuousClock.now
        #expect(peak < before + Self.cap + 100, "the server held \(peak) descriptors (\(before) before the flood, cap \(Self.cap))")
        #expect(server.child.isRunning)

        // The held ones are closed by the head timeout (3 s): the server's descriptors come
        // back to what they were. (A few connections the kernel completed while the listen
        // backlog overflowed never reach the server at all; the client alone holds those.)
        try await pollUntil("the server to close what it held", timeout: .seconds(30), interval: .milliseconds(100)) {
            Self.openDescriptors(server.child.pid) < before + 20
        }
        let closedAfter = ContinuousClock.now - accepted
        let closed = flood.filter { $0.isClosedByPeer() }.count
        // The head timeout is 3 s from each connection's accept; a little slack for a loaded machine.
        #expect(closedAfter < .seconds(8), "the server still held connections \(closedAfter) after accepting the last")
        #expect(closed >= Self.connections * 95 / 100, "only \(closed) of \(Self.connections) were closed by the server")
        for connection in flood { connection.close() }
        let asked = ContinuousClock.now
        let health = try await server.client().health()
        #expect(health.status == "healthy")
        #expect(ContinuousClock.now - asked < .seconds(1))
        print("flood: \(Self.connections) connections, \(refused) refused at once, \(closed) closed by the server, server descriptors peak \(peak) (before \(before)), all reached the server after \(accepted - started), back to normal \(closedAfter) later")
    }
}

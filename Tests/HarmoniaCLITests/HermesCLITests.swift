import Foundation
import HarmoniaClient
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hermes from the command line, with Hermes down: `register --verify` fails clearly, and
/// `serve --hermes-url` still answers `/health` at once and stops on SIGTERM.
@Suite(.timeLimit(.minutes(2)))
struct HermesCLITests {
    /// A loopback port nothing listens on: bound, then released.
    static func unusedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        try #require(bound, "could not bind a loopback port")
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test("register --verify exits non-zero with a clear message when Hermes is unreachable")
    func registerWithHermesDown() async throws {
        let url = "http://127.0.0.1:\(try Self.unusedPort())"
        let started = ContinuousClock.now
        let result = try await CLITests.harmonia(["register", "--verify", "--hermes-url", url])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot reach Hermes"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains(url))
        #expect(result.stderr.contains("HERMES_URL"))
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test("serve --hermes-url answers /health within 5 s while Hermes is down, then stops on SIGTERM")
    func serveWithHermesDown() async throws {
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }
        let hermes = "http://127.0.0.1:\(try Self.unusedPort())"
        let server = try await ServerProcess(
            binary: try CLITests.binary(), dataDirectory: dataDirectory.path, extraArguments: ["--hermes-url", hermes])
        defer { server.kill() }
        let health = try await server.client().health()
        #expect(health.registered == false)
        // The server prints its listening line once it accepts connections, and /health
        // answers 200 from then on. The time from launch to that line is taken on the output
        // reader's own thread: the test task itself can wait seconds for a cooperative thread
        // while the whole suite runs in parallel, which says nothing about the server.
        let listening = try #require(server.child.stdout.arrival(ofLineContaining: "harmonia listening on "))
        #expect(server.child.launched.duration(to: listening) < .seconds(5))
        try await pollUntil("a logged registration failure", timeout: .seconds(30)) {
            server.child.stderr.text.contains("cannot reach Hermes")
        }
        server.child.send(SIGTERM)
        #expect(try await server.child.waitForExit(timeout: .seconds(20)) == 0)
    }
}

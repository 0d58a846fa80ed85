import Foundation
import HarmoniaClient

/// `harmonia serve --port 0 --data-dir DIR` in a subprocess, with the port it bound.
///
/// The server prints `harmonia listening on http://HOST:PORT` once bound; reading that line
/// is how the test learns the free port and knows the server accepts connections.
final class ServerProcess {
    let child: ChildProcess
    let baseURL: String

    /// Starts a server on `dataDirectory` and waits (up to `timeout`) for its listening line.
    init(
        binary: String, dataDirectory: String, extraArguments: [String] = [], environment: [String: String] = [:],
        timeout: Duration = .seconds(30)
    ) async throws {
        let child = try ChildProcess(
            binary: binary,
            arguments: ["serve", "--port", "0", "--data-dir", dataDirectory] + extraArguments, environment: environment)
        do {
            let url = try await poll("the server's 'listening on' line", timeout: timeout) { () -> String? in
                if let url = Self.listeningURL(in: child.stdout.text) { return url }
                if !child.isRunning {
                    throw ServerStartFailure(description: "harmonia serve exited early: \(child.diagnostics)")
                }
                return nil
            }
            self.child = child
            self.baseURL = url
        } catch {
            child.kill()
            throw error
        }
    }

    /// A client for this server.
    func client() -> HarmoniaClient {
        HarmoniaClient(baseURL: baseURL, requestTimeout: .seconds(20))
    }

    /// The URL in the first `harmonia listening on <url>` line, once the line is complete.
    static func listeningURL(in output: String) -> String? {
        let marker = "harmonia listening on "
        for line in output.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if let range = line.range(of: marker) {
                return String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    func kill() { child.kill() }
}

/// The server process ended before it printed its listening line.
struct ServerStartFailure: Error, CustomStringConvertible {
    var description: String
}

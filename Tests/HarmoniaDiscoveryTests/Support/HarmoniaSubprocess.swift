import Foundation
import HarmoniaSpawn
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `harmonia` executable that SwiftPM built next to the test bundle, run as a child
/// process with its standard output collected (to learn the port it bound).
final class HarmoniaSubprocess: Sendable {
    /// Started with `posix_spawn`, not Foundation's `Process` (see `SpawnedProcess`).
    let process: SpawnedProcess
    private let output = TextBuffer()

    init(arguments: [String], environment extra: [String: String] = [:]) throws {
        var environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("HARMONIA_") && !$0.key.hasPrefix("HERMES_") && $0.key != "TEKTON_HOST"
        }
        environment.merge(extra) { _, new in new }
        process = try SpawnedProcess(
            executable: try PluginDirectory.built("harmonia").path, arguments: arguments, environment: environment,
            stdout: .pipe, stderr: .discard)
        let fd = process.stdout!
        let output = self.output
        // Reads block: a thread of its own until the child closes its stdout.
        let reader = Thread {
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                output.text.withLock { $0 += String(decoding: chunk[0..<count], as: UTF8.self) }
            }
            close(fd)
        }
        reader.start()
    }

    /// The port from `harmonia listening on http://HOST:PORT`, once printed.
    var port: Int? {
        output.text.withLock { text in
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("harmonia listening on ") }),
                let port = line.split(separator: ":").last.flatMap({ Int($0) })
            else { return nil }
            return port
        }
    }

    func terminate() { process.send(SIGTERM) }

    /// SIGKILL, for clean-up after a failed test.
    func kill() { process.send(SIGKILL) }

    var isRunning: Bool { process.isRunning }
    /// The exit code (Foundation's `terminationStatus`: the signal number after a signal).
    var exitStatus: Int32 { process.ending?.status ?? -1 }
}

/// Text appended from a pipe's reader thread and read by the test.
final class TextBuffer: Sendable {
    let text = Mutex("")
}

import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `harmonia` executable that SwiftPM built next to the test bundle, run as a child
/// process with its standard output collected (to learn the port it bound).
final class HarmoniaSubprocess: Sendable {
    let process: Process
    private let output = TextBuffer()

    init(arguments: [String], environment extra: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: try PluginDirectory.built("harmonia").path)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("HARMONIA_") && !$0.key.hasPrefix("HERMES_") && $0.key != "TEKTON_HOST"
        }
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let output = self.output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            output.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
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

    func terminate() { process.terminate() }

    /// SIGKILL, for clean-up after a failed test.
    func kill() {
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    var isRunning: Bool { process.isRunning }
    var exitStatus: Int32 { process.terminationStatus }
}

/// Text appended from a pipe's reader thread and read by the test.
final class TextBuffer: Sendable {
    let text = Mutex("")
}

import Foundation
import HarmoniaSpawn
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One running plugin host child: the process, the socket to it and its stderr.
///
/// The child gets one end of a socketpair as its stdin; the server keeps the other
/// (close-on-exec, so no other child inherits it). When the server ends, however it ends,
/// the kernel closes its end and the child, reading end of file, exits.
final class HostConnection: Sendable {
    let process: SpawnedProcess
    let channel: FrameChannel
    let stderrTail: StderrTail
    /// Why the server killed the child, if it did (hung): named in the crash reason.
    let killReason = Mutex<String?>(nil)

    init(library path: String, settings: IsolationSettings, configuration: PluginsConfiguration, logger: Logger) throws {
        var fds: [Int32] = [-1, -1]
        #if canImport(Glibc)
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = SOCK_STREAM
        #endif
        guard socketpair(AF_UNIX, type, 0, &fds) == 0 else {
            throw HostStartError(reason: "socketpair failed: \(String(cString: strerror(errno)))")
        }
        let executable = settings.resolvedExecutable
        let arguments = [
            "plugin-host", "--library", path,
            "--http-timeout-ms", String(Self.milliseconds(configuration.defaultHTTPTimeout)),
            "--max-http-response-bytes", String(configuration.maxHTTPResponseBytes),
            "--log-level", logger.logLevel.rawValue,
        ]
        do {
            process = try SpawnedProcess(
                executable: executable, arguments: arguments, environment: Self.environment,
                stdin: .descriptor(fds[1]), stdout: .inherit, stderr: .pipe)
        } catch {
            close(fds[0])
            close(fds[1])
            throw HostStartError(reason: "could not start the plugin host \(executable): \(error)")
        }
        close(fds[1])
        channel = FrameChannel(fd: fds[0])
        let pid = process.pid
        stderrTail = StderrTail(fd: process.stderr!, keep: settings.stderrLines, name: "harmonia-host-stderr-\(pid)") { line in
            logger.info("plugin host stderr: \(line)", metadata: ["host_pid": "\(pid)"])
        }
    }

    /// The child's environment: the server's, without Swift's crash backtracer (on a fault
    /// it would symbolicate for seconds before the child dies, holding the component's
    /// calls; the server reports the signal and the stderr lines instead).
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        return environment
    }

    /// How the child ended, for a crash reason: the signal (or exit code) and its last
    /// stderr lines.
    func describe(_ ending: SpawnedProcess.Ending) -> String {
        var text: String
        if let killed = killReason.withLock({ $0 }) {
            text = killed
        } else if ending.signaled {
            let name = strsignal(ending.status).map { String(cString: $0) } ?? "signal"
            text = "its plugin host (pid \(process.pid)) was killed by signal \(ending.status) (\(name))"
        } else {
            text = "its plugin host (pid \(process.pid)) exited with status \(ending.status)"
        }
        let lines = stderrTail.last(waiting: .now() + .milliseconds(500))
        if !lines.isEmpty { text += "; last stderr: " + lines.joined(separator: " | ") }
        return text
    }

    /// Ends the child: closes the socket (it exits at end of file), and kills it if it is
    /// still there after `grace`.
    func stop(grace: Duration = .seconds(2)) {
        channel.shutdown()
        let process = self.process
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(Self.milliseconds(grace)))) {
            process.send(SIGKILL)
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}

/// A plugin host child could not be started or did not get ready.
struct HostStartError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}

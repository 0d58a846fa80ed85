import Foundation
import HarmoniaSpawn
import HarmoniaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `harmonia serve` as a child process on one data directory: started, killed with
/// SIGKILL, restarted on the same port and data directory, stopped with SIGTERM.
///
/// A child process rather than an in-process server so that its peak RSS is the server's
/// own and `kill -9` is a real crash. Its stdout and stderr go to files in the data
/// directory (`server.out`, `server.log`): no pipe to drain, and the log is there to read
/// when something fails. Not `Sendable`: one scenario owns it and drives it from one task.
final class EmbeddedServer {
    let executable: String
    let dataDirectory: String
    let synchronous: SQLiteSynchronous
    private var process: SpawnedProcess?
    /// The port of the first life; a restart binds the same one so clients keep their URL.
    private(set) var port: Int?
    /// Lives started so far; each gets its own output files.
    private var lives = 0
    /// Samples the current life's memory; its peak is folded into `endedLivesPeak` when the
    /// life ends (read before the kill: a reaped process has no /proc entry).
    private var sampler: PeakRSSSampler?
    private var endedLivesPeak: Int?

    init(executable: String, dataDirectory: String, synchronous: SQLiteSynchronous) {
        self.executable = executable
        self.dataDirectory = dataDirectory
        self.synchronous = synchronous
    }

    /// `http://127.0.0.1:PORT` once started.
    var baseURL: String? { port.map { "http://127.0.0.1:\($0)" } }

    var pid: Int32? { process?.pid }

    var isRunning: Bool { process?.isRunning ?? false }

    /// Launches the server (on the previous life's port when there was one) and returns at
    /// once; `waitUntilListening` tells when it accepts connections.
    func launch() throws {
        guard !isRunning else { throw HarmoniaError(.benchServerFailed, "the embedded server is already running") }
        lives += 1
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let arguments = ["serve", "--host", "127.0.0.1", "--port", String(port ?? 0), "--data-dir", dataDirectory]
        // Only what the bench chooses: a user's HARMONIA_* settings (API keys, another data
        // directory, a config file's overrides) must not change what is measured.
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HARMONIA_") }
        environment["HARMONIA_SYNCHRONOUS"] = synchronous.rawValue
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        // The child has its own descriptors once started; ours would only leak.
        defer {
            try? output.close()
            try? log.close()
        }
        let process: SpawnedProcess
        do {
            // posix_spawn, not Foundation's Process, whose run() can crash the bench on Linux.
            process = try SpawnedProcess(
                executable: executable, arguments: arguments, environment: environment, stdin: .discard,
                stdout: .descriptor(output.fileDescriptor), stderr: .descriptor(log.fileDescriptor))
        } catch {
            throw HarmoniaError(.benchServerFailed, "cannot start \(executable) serve: \(error)")
        }
        self.process = process
        sampler = PeakRSSSampler(pid: process.pid)
    }

    /// The highest peak resident set size of any life so far, the current one included;
    /// nil when it could not be read (no /proc).
    var peakResidentBytes: Int? {
        [endedLivesPeak, sampler?.peekPeak()].compactMap { $0 }.max()
    }

    /// Folds the current life's peak into `endedLivesPeak` and stops its sampler.
    private func endLife() {
        if let peak = sampler?.finish() { endedLivesPeak = max(endedLivesPeak ?? 0, peak) }
        sampler = nil
    }

    /// Waits (polling the output file, with a deadline) for the `harmonia listening on` line
    /// of the current life; records the port.
    func waitUntilListening(timeout: Duration = .seconds(60)) async throws {
        let url = try await Polling.until("the embedded server's 'listening on' line", timeout: timeout, interval: .milliseconds(2)) {
            () -> String? in
            if let url = Self.listeningURL(in: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "") {
                return url
            }
            if !isRunning {
                throw HarmoniaError(.benchServerFailed, "harmonia serve exited before listening: \(diagnostics)")
            }
            return nil
        }
        guard let bound = URL(string: url)?.port else {
            throw HarmoniaError(.benchServerFailed, "cannot read the port from the listening line '\(url)'")
        }
        port = bound
    }

    /// `launch` and `waitUntilListening`.
    func start() async throws {
        try launch()
        try await waitUntilListening()
    }

    /// SIGKILL, then waits until the process is gone: a crash, nothing drained.
    func killNine() async throws {
        guard let process, process.isRunning else { return }
        endLife()
        process.send(SIGKILL)
        try await Polling.until("the killed server to exit", timeout: .seconds(30), interval: .milliseconds(5)) {
            process.isRunning ? nil : true
        }
    }

    /// SIGTERM (graceful: in-flight work drains), then SIGKILL if it has not exited after
    /// `grace`. Safe to call when not running.
    func stop(grace: Duration = .seconds(60)) async {
        guard let process, process.isRunning else { return }
        endLife()
        process.send(SIGTERM)
        do {
            try await Polling.until("the server to stop", timeout: grace, interval: .milliseconds(20)) {
                process.isRunning ? nil : true
            }
        } catch {
            forceKill()
        }
    }

    /// SIGKILL and reap without suspending: the cleanup that always works (for `defer`).
    func forceKill() {
        guard let process, process.isRunning else { return }
        endLife()
        process.send(SIGKILL)
        process.waitUntilExit()
    }

    /// The tail of the current life's log, for error messages.
    var diagnostics: String {
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        let status = process.map { $0.ending.map { "exit \($0.shellStatus)" } ?? "running" } ?? "not started"
        return "\(status); log \(logPath): \(log.suffix(1500))"
    }

    private var outputPath: String { (dataDirectory as NSString).appendingPathComponent("server-\(lives).out") }
    private var logPath: String { (dataDirectory as NSString).appendingPathComponent("server-\(lives).log") }

    /// The URL in the first complete `harmonia listening on <url>` line.
    static func listeningURL(in output: String) -> String? {
        let marker = "harmonia listening on "
        for line in output.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if let range = line.range(of: marker) {
                return String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}


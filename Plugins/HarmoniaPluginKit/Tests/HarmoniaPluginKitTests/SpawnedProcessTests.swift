import Foundation
import Synchronization
import HarmoniaSpawn
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite(.timeLimit(.minutes(1)))
struct SpawnedProcessTests {
    /// Everything until end of file, then closes `fd`.
    static func drain(_ fd: Int32?) -> String {
        guard let fd else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func sh(_ script: String, environment: [String: String] = ["PATH": "/usr/bin:/bin"], directory: String? = nil) throws -> SpawnedProcess {
        try SpawnedProcess(
            executable: "/bin/sh", arguments: ["-c", script], environment: environment, currentDirectory: directory)
    }

    @Test func outputStatusEnvironmentAndDirectory() async throws {
        let child = try Self.sh(#"printf "$GREETING"; printf err >&2; pwd >&2; exit 3"#,
            environment: ["GREETING": "hello", "PATH": "/usr/bin:/bin"], directory: "/tmp")
        #expect(Self.drain(child.stdout) == "hello")
        #expect(Self.drain(child.stderr) == "err/tmp\n")
        let ending = await child.exit()
        #expect(ending == .init(status: 3, signaled: false))
        #expect(child.waitUntilExit().shellStatus == 3)
        #expect(!child.isRunning)
    }

    @Test func aSignalEndsItAndIsReportedAsOne() async throws {
        let child = try Self.sh("exec sleep 30", environment: ["PATH": "/usr/bin:/bin"])
        #expect(child.isRunning)
        let handled = Mutex<SpawnedProcess.Ending?>(nil)
        child.onExit { ending in handled.withLock { $0 = ending } }
        child.send(SIGTERM)
        let ending = await child.exit()
        #expect(ending.signaled && ending.status == SIGTERM && ending.shellStatus == 128 + SIGTERM)
        #expect(handled.withLock { $0 } == ending)
    }

    /// Only 0, 1 and 2 reach the child (everything else is closed, CLOEXEC or not), and a
    /// signal this process ignores (SIGPIPE, as servers do) is back to its default there.
    @Test func nothingLeaksIntoTheChild() async throws {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)  // no CLOEXEC: a Process would hand these down
        defer { close(ends[0]); close(ends[1]) }
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        let child = try Self.sh("ls /proc/self/fd; grep SigIgn /proc/self/status")
        let output = Self.drain(child.stdout)
        _ = await child.exit()
        let lines = output.split(separator: "\n")
        // ls itself holds one more descriptor, for the directory it lists.
        let descriptors = lines.dropLast().compactMap { Int($0) }.filter { $0 > 2 }
        #expect(descriptors.count <= 1, "\(output)")
        let ignored = try #require(lines.last.flatMap { UInt64($0.split(separator: "\t").last ?? "", radix: 16) })
        #expect(ignored & (1 << UInt64(SIGPIPE - 1)) == 0, "SIGPIPE is ignored in the child: \(output)")
    }

    @Test func aMissingExecutableIsAnErrorNotACrash() {
        #expect(throws: SpawnError.self) {
            _ = try SpawnedProcess(executable: "/nonexistent/tool", arguments: [], environment: [:])
        }
    }

    @Test func aNewProcessGroupLetsOneSignalReachItsChildren() async throws {
        let child = try SpawnedProcess(
            executable: "/bin/sh", arguments: ["-c", "sleep 30 & sleep 30; wait"], environment: ["PATH": "/usr/bin:/bin"],
            stdout: .discard, stderr: .discard, newProcessGroup: true)
        #expect(getpgid(child.pid) == child.pid)
        child.send(SIGKILL, group: true)
        let ending = await child.exit()
        #expect(ending.signaled && ending.status == SIGKILL)
    }
}

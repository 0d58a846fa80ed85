import CHarmoniaSpawn
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn`, reaped by a thread of its own.
///
/// Why not Foundation's `Process`: on Linux its `run()` reads `/proc/self/fd` with a
/// `readdir` copy that over-reads past the end of glibc's buffer and crashes the calling
/// process now and then (swift-corelibs-foundation, fixed upstream after Swift 6.3.1). A
/// server that runs commands in-process (Ergon's local mode) and a test suite that starts
/// hundreds of children both hit it. Here the child gets its descriptors through
/// `posix_spawn` file actions and everything above stderr is closed with `closefrom`, so
/// nothing of ours leaks into it and nothing is enumerated.
public final class SpawnedProcess: Sendable {
    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable {
        /// A new pipe; its read end is in `stdout` / `stderr`.
        case pipe
        /// `/dev/null`.
        case discard
        /// This process's own stream.
        case inherit
        /// A descriptor the caller owns (a file, a socket); the child gets a copy.
        case descriptor(Int32)
    }

    /// How the child ended.
    public struct Ending: Sendable, Hashable {
        /// The exit code, or the number of the signal that ended it.
        public var status: Int32
        public var signaled: Bool

        public init(status: Int32, signaled: Bool) {
            self.status = status
            self.signaled = signaled
        }

        /// The shell's convention: the exit code, or 128+N for signal N.
        public var shellStatus: Int32 { signaled ? 128 + status : status }
    }

    public let pid: pid_t
    /// Read end of the child's stdout when it was `.pipe`; the caller reads and closes it.
    public let stdout: Int32?
    /// Read end of the child's stderr when it was `.pipe`; the caller reads and closes it.
    public let stderr: Int32?

    private struct State {
        var ending: Ending?
        var waiters: [CheckedContinuation<Ending, Never>] = []
        var handlers: [@Sendable (Ending) -> Void] = []
    }

    private let state = Mutex(State())
    private let exited = DispatchSemaphore(value: 0)

    /// Starts `executable` (a path; no `PATH` search) with `arguments` (without argv[0]).
    ///
    /// - Parameters:
    ///   - environment: the child's whole environment.
    ///   - newProcessGroup: makes the child the leader of its own process group, so
    ///     `kill(-pid, …)` reaches whatever it starts (a shell's children) too.
    public init(
        executable: String, arguments: [String], environment: [String: String],
        currentDirectory: String? = nil, stdin: Stream = .discard, stdout: Stream = .pipe, stderr: Stream = .pipe,
        newProcessGroup: Bool = false
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        var parentEnds: [Int32] = []  // closed here after the spawn (the child has its copies)
        var readEnds: [Int32?] = [nil, nil, nil]
        var failure: Int32 = 0
        for (target, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .inherit:
                break
            case .discard:
                failure = failure != 0 ? failure : posix_spawn_file_actions_addopen(
                    &actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case .descriptor(let fd):
                failure = failure != 0 ? failure : posix_spawn_file_actions_adddup2(&actions, fd, target)
            case .pipe:
                var ends: [Int32] = [-1, -1]
                guard harmonia_pipe_cloexec(&ends) == 0 else {
                    failure = errno
                    break
                }
                // The child reads stdin's read end and writes the others' write ends.
                let childEnd = target == 0 ? ends[0] : ends[1]
                let ourEnd = target == 0 ? ends[1] : ends[0]
                parentEnds.append(childEnd)
                readEnds[Int(target)] = ourEnd
                failure = failure != 0 ? failure : posix_spawn_file_actions_adddup2(&actions, childEnd, target)
            }
        }
        if failure == 0 { failure = harmonia_spawn_add_closefrom(&actions, 3) }
        if failure == 0, let currentDirectory {
            failure = harmonia_spawn_add_chdir(&actions, currentDirectory)
        }

        // The child starts with no blocked signals and the default action for the ones a
        // server ignores or handles (SIGPIPE above all: ignored signals survive exec).
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var child: pid_t = 0
        if failure == 0 {
            failure = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        }
        for fd in parentEnds { close(fd) }
        guard failure == 0 else {
            for case let fd? in readEnds { close(fd) }
            throw SpawnError(executable: executable, code: failure)
        }
        pid = child
        // stdin's end is for writing; none of our callers feeds stdin through a pipe yet.
        if let fd = readEnds[0] { close(fd) }
        self.stdout = readEnds[1]
        self.stderr = readEnds[2]
        startReaper()
    }

    /// The ending once the child has been reaped; nil while it runs.
    public var ending: Ending? { state.withLock { $0.ending } }

    public var isRunning: Bool { ending == nil }

    /// Sends `signal` to the child (or, with `group`, to its process group) while it runs.
    public func send(_ signal: Int32, group: Bool = false) {
        guard isRunning else { return }
        if group, kill(-pid, signal) == 0 { return }
        _ = kill(pid, signal)
    }

    /// Blocks the calling thread until the child has been reaped (for `defer` and for
    /// short-lived tools; async code awaits `exit()` instead).
    @discardableResult
    public func waitUntilExit() -> Ending {
        if let ending { return ending }
        exited.wait()
        exited.signal()  // let any other blocked waiter through as well
        return ending!
    }

    /// Waits for the child to be reaped without blocking a thread.
    public func exit() async -> Ending {
        await withCheckedContinuation { continuation in
            let ending = state.withLock { state -> Ending? in
                if let ending = state.ending { return ending }
                state.waiters.append(continuation)
                return nil
            }
            if let ending { continuation.resume(returning: ending) }
        }
    }

    /// Calls `handler` once with the ending (at once if the child has ended already), on the
    /// reaper's thread.
    public func onExit(_ handler: @escaping @Sendable (Ending) -> Void) {
        let ending = state.withLock { state -> Ending? in
            if let ending = state.ending { return ending }
            state.handlers.append(handler)
            return nil
        }
        if let ending { handler(ending) }
    }

    /// One thread per child blocks in `waitpid` for it: no SIGCHLD handler to share with the
    /// host, and no process of someone else's is reaped by mistake.
    private func startReaper() {
        let pid = self.pid
        let thread = Thread { [self] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 {
                if errno != EINTR {
                    status = 0
                    break
                }
            }
            // WIFSIGNALED / WTERMSIG / WEXITSTATUS, which Swift does not import (macros).
            let signal = status & 0x7f
            let ending =
                signal != 0 && signal != 0x7f
                ? Ending(status: signal, signaled: true) : Ending(status: (status >> 8) & 0xff, signaled: false)
            let (waiters, handlers) = state.withLock { state in
                state.ending = ending
                defer {
                    state.waiters = []
                    state.handlers = []
                }
                return (state.waiters, state.handlers)
            }
            exited.signal()
            for waiter in waiters { waiter.resume(returning: ending) }
            for handler in handlers { handler(ending) }
        }
        thread.name = "harmonia-reaper-\(pid)"
        thread.start()
    }
}

/// `posix_spawn` refused: the executable, and `strerror` of its error.
public struct SpawnError: Error, CustomStringConvertible, Sendable {
    public var executable: String
    public var code: Int32

    public var description: String { "could not start \(executable): \(String(cString: strerror(code)))" }
}

import Foundation
import Synchronization

/// The shared state of one local process run: captured output (capped), the end of each
/// pipe, termination, and the waiter.
///
/// Pipe handlers and the termination handler run on Foundation's threads; the waiter is an
/// async task. Everything meets under one lock; the continuation is resumed outside it.
final class LocalProcessState: Sendable {
    enum Stream: Sendable { case stdout, stderr }

    /// How the run ended, once it has.
    struct Ending: Sendable {
        var status: Int32
        var signaled: Bool
        var timedOut: Bool
        var canceled: Bool
    }

    private struct State {
        var stdout = Data()
        var stderr = Data()
        var droppedStdout = 0
        var droppedStderr = 0
        var openPipes = 2
        var ending: Ending?
        var timedOut = false
        var canceled = false
        var finished = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())
    private let maxOutputBytes: Int

    init(maxOutputBytes: Int) {
        self.maxOutputBytes = maxOutputBytes
    }

    /// Keeps what fits under the cap and counts the rest.
    func append(_ data: Data, to stream: Stream) {
        state.withLock { state in
            switch stream {
            case .stdout: Self.keep(data, in: &state.stdout, dropped: &state.droppedStdout, cap: maxOutputBytes)
            case .stderr: Self.keep(data, in: &state.stderr, dropped: &state.droppedStderr, cap: maxOutputBytes)
            }
        }
    }

    /// A pipe reached its end.
    func closed(_ stream: Stream) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.openPipes -= 1
            return Self.finishIfDone(&state, force: false)
        }
        waiter?.resume()
    }

    /// The process ended (a late duplicate is ignored).
    func terminated(status: Int32, signaled: Bool) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.ending == nil else { return nil }
            state.ending = Ending(status: status, signaled: signaled, timedOut: state.timedOut, canceled: state.canceled)
            return Self.finishIfDone(&state, force: false)
        }
        waiter?.resume()
    }

    /// Stops waiting for the pipes (a child the command left behind still holds them).
    func abandonPipes() {
        let waiter = state.withLock { state in Self.finishIfDone(&state, force: true) }
        waiter?.resume()
    }

    /// Marks the run as timed out; true if the process is still running (so it must be killed).
    func markTimedOut() -> Bool {
        state.withLock { state in
            guard state.ending == nil else { return false }
            state.timedOut = true
            return true
        }
    }

    /// Marks the run as canceled; true if the process is still running.
    func markCanceled() -> Bool {
        state.withLock { state in
            guard state.ending == nil else { return false }
            state.canceled = true
            return true
        }
    }

    var hasTerminated: Bool { state.withLock { $0.ending != nil } }

    /// Waits until the process ended and its pipes closed (or were abandoned).
    func waitUntilFinished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.finished { return true }
                state.waiter = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// What was captured, and how the run ended.
    func snapshot() -> (stdout: Data, stderr: Data, droppedStdout: Int, droppedStderr: Int, ending: Ending?) {
        state.withLock { ($0.stdout, $0.stderr, $0.droppedStdout, $0.droppedStderr, $0.ending) }
    }

    private static func keep(_ data: Data, in buffer: inout Data, dropped: inout Int, cap: Int) {
        let room = max(0, cap - buffer.count)
        if data.count <= room {
            buffer.append(data)
        } else {
            buffer.append(data.prefix(room))
            dropped += data.count - room
        }
    }

    private static func finishIfDone(_ state: inout State, force: Bool) -> CheckedContinuation<Void, Never>? {
        guard !state.finished, state.ending != nil, force || state.openPipes <= 0 else { return nil }
        state.finished = true
        defer { state.waiter = nil }
        return state.waiter
    }
}

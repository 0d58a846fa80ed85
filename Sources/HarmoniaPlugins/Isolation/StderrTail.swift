import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a plugin host child's stderr on a thread of its own: each line goes to the
/// server's log for the plugin, and the last few are kept for the crash reason (an
/// `abort()` message, a sanitizer report).
final class StderrTail: Sendable {
    private let lines = Mutex<[String]>([])
    private let keep: Int
    private let finished = DispatchSemaphore(value: 0)

    init(fd: Int32, keep: Int, name: String, log: @escaping @Sendable (String) -> Void) {
        self.keep = max(1, keep)
        let thread = Thread { [self] in
            var pending: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 8192)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                pending.append(contentsOf: chunk[0..<count])
                while let newline = pending.firstIndex(of: 10) {
                    add(String(decoding: pending[..<newline], as: UTF8.self), log)
                    pending.removeSubrange(...newline)
                }
            }
            if !pending.isEmpty { add(String(decoding: pending, as: UTF8.self), log) }
            close(fd)
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    private func add(_ line: String, _ log: @Sendable (String) -> Void) {
        log(line)
        lines.withLock { lines in
            lines.append(String(line.prefix(500)))
            if lines.count > keep { lines.removeFirst(lines.count - keep) }
        }
    }

    /// The last lines, after the child's stderr reached end of file (waiting at most
    /// `timeout` for it: a grandchild may hold it open).
    func last(waiting timeout: DispatchTime) -> [String] {
        if finished.wait(timeout: timeout) == .success { finished.signal() }
        return lines.withLock { $0 }
    }
}

import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Drains a pipe on its own thread and keeps everything read, so a child process never
/// blocks on a full pipe and tests can wait for a line to appear.
final class OutputCollector: Sendable {
    private let buffer = Mutex<[UInt8]>([])
    private let finished = Mutex(false)
    /// When each read ended, with the buffer's length after it: the reading thread's own
    /// clock, so a test can time the child's output without its own scheduling delays (a
    /// test task may wait seconds for a cooperative thread when the whole suite runs).
    private let arrivals = Mutex<[(length: Int, at: ContinuousClock.Instant)]>([])

    /// Starts reading `handle` until end of file on a dedicated thread (reads block).
    convenience init(_ handle: FileHandle) {
        self.init(fileDescriptor: handle.fileDescriptor, closesAtEnd: false)
    }

    /// Starts reading `fd` until end of file on a dedicated thread (reads block); closes it
    /// then when `closesAtEnd`.
    init(fileDescriptor fd: Int32, closesAtEnd: Bool = true) {
        let thread = Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                let at = ContinuousClock.now
                let length = buffer.withLock { buffer in
                    buffer.append(contentsOf: chunk[0..<count])
                    return buffer.count
                }
                arrivals.withLock { $0.append((length, at)) }
            }
            if closesAtEnd { close(fd) }
            finished.withLock { $0 = true }
        }
        thread.start()
    }

    /// Everything read so far, as text.
    var text: String {
        buffer.withLock { String(decoding: $0, as: UTF8.self) }
    }

    /// True once the writer closed its end (the process exited).
    var isFinished: Bool {
        finished.withLock { $0 }
    }

    /// When the first complete line containing `marker` was read, or nil if none was yet.
    func arrival(ofLineContaining marker: String) -> ContinuousClock.Instant? {
        let bytes = buffer.withLock { $0 }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let range = text.range(of: marker), let newline = text[range.upperBound...].firstIndex(of: "\n") else { return nil }
        let end = text.utf8.distance(from: text.startIndex, to: newline) + 1
        return arrivals.withLock { $0.first { $0.length >= end }?.at }
    }

    /// The last `count` characters, for failure messages.
    func tail(_ count: Int = 2000) -> String {
        String(text.suffix(count))
    }
}

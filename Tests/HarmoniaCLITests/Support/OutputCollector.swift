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

    /// Starts reading `handle` until end of file on a dedicated thread (reads block).
    init(_ handle: FileHandle) {
        let fd = handle.fileDescriptor
        let thread = Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                buffer.withLock { $0.append(contentsOf: chunk[0..<count]) }
            }
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

    /// The last `count` characters, for failure messages.
    func tail(_ count: Int = 2000) -> String {
        String(text.suffix(count))
    }
}

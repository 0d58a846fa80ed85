import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One end of the socket between the server and a plugin host child, carrying
/// `HostMessage` frames both ways.
///
/// Writes are whole frames under a lock (callers on any thread: the plugin's completion
/// threads, the engine's tasks); reads happen on one thread of their own that blocks in
/// `read`, never on Swift's cooperative pool. The channel owns its descriptor.
final class FrameChannel: Sendable {
    let fd: Int32
    private let writeLock = Mutex(false)  // true once closed

    init(fd: Int32) {
        self.fd = fd
    }

    /// Sends one message; false when the other side is gone (or the channel was closed).
    @discardableResult
    func send(_ message: HostMessage) -> Bool {
        let frame = message.encoded()
        return writeLock.withLock { closed -> Bool in
            guard !closed else { return false }
            return frame.withUnsafeBytes { raw -> Bool in
                var offset = 0
                while offset < raw.count {
                    #if canImport(Glibc)
                    let flags = Int32(MSG_NOSIGNAL)
                    #else
                    let flags: Int32 = 0
                    #endif
                    let written = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, flags)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    offset += written
                }
                return true
            }
        }
    }

    /// Stops the other side's reads (it sees end of file) and further sends; the descriptor
    /// itself is closed by the reader when its loop ends.
    func shutdown() {
        writeLock.withLock { closed in
            guard !closed else { return }
            closed = true
            Glibc.shutdown(fd, Int32(SHUT_RDWR))
        }
    }

    /// Reads frames until end of file or a protocol error, calling `handle` for each in
    /// order, then `ended` with the reason (nil: a clean end of file), on a new thread.
    func startReading(
        name: String, handle: @escaping @Sendable (HostMessage) -> Void, ended: @escaping @Sendable (String?) -> Void
    ) {
        let thread = Thread { [self] in
            let reason = readLoop(handle)
            shutdown()
            close(fd)
            ended(reason)
        }
        thread.name = name
        thread.start()
    }

    /// Blocks reading frames on the calling thread; returns why it stopped (nil: end of file).
    func readLoop(_ handle: (HostMessage) -> Void) -> String? {
        var buffer: [UInt8] = []
        var start = 0
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return "read failed: \(String(cString: strerror(errno)))"
            }
            if count == 0 { return nil }
            buffer.append(contentsOf: chunk[0..<count])
            while let length = FrameReader.frameLength(buffer, at: start) {
                guard length <= HostMessage.maxFrame else { return "a frame of \(length) bytes exceeds the limit" }
                guard buffer.count - start - 4 >= length else { break }
                do {
                    handle(try HostMessage.decode(buffer[(start + 4)..<(start + 4 + length)]))
                } catch {
                    return "protocol error: \(error)"
                }
                start += 4 + length
            }
            if start == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                start = 0
            } else if start > 64 << 10 {
                buffer.removeFirst(start)
                start = 0
            }
        }
    }
}

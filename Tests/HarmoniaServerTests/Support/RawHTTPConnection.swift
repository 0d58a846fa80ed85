import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain TCP connection to 127.0.0.1 for sending bytes no HTTP client would send
/// (a malformed request line, half a head, a 100 kB URI) and reading what the server does.
final class RawHTTPConnection {
    private var descriptor: Int32

    init(port: Int) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw RawHTTPError(description: "socket() failed: errno \(errno)") }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let error = errno
            Glibc.close(fd)
            throw RawHTTPError(description: "cannot connect to 127.0.0.1:\(port): errno \(error)")
        }
        descriptor = fd
    }

    /// Sends all of `text`; false when the server already closed the connection.
    @discardableResult
    func send(_ text: String) -> Bool {
        send(Array(text.utf8))
    }

    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// What the server sent until it closed the connection or `timeout` passed, and whether
    /// it closed. Blocking reads with a short receive timeout, on a thread of its own so the
    /// test's executor is not held.
    func readUntilClosed(timeout: Duration, orUntil enough: @escaping @Sendable (String) -> Bool = { _ in false }) async
        -> (text: String, closed: Bool)
    {
        let fd = descriptor
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var tv = timeval(tv_sec: 0, tv_usec: 50_000)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                let deadline = ContinuousClock.now + timeout
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 65536)
                var closed = false
                while ContinuousClock.now < deadline {
                    let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                    if count > 0 {
                        received += buffer[0..<count]
                        if enough(String(decoding: received, as: UTF8.self)) { break }
                    } else if count == 0 {
                        closed = true
                        break
                    } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                        closed = true  // reset by the server
                        break
                    }
                }
                continuation.resume(returning: (String(decoding: received, as: UTF8.self), closed))
            }
        }
    }

    func close() {
        guard descriptor >= 0 else { return }
        Glibc.close(descriptor)
        descriptor = -1
    }

    deinit { close() }
}

struct RawHTTPError: Error, CustomStringConvertible {
    let description: String
}

extension String {
    /// The status code of an HTTP response's status line, if this starts with one.
    var httpStatus: Int? {
        guard hasPrefix("HTTP/1.1 ") else { return nil }
        return Int(dropFirst(9).prefix(3))
    }
}

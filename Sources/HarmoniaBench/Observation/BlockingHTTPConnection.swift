import HarmoniaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One keep-alive HTTP/1.1 connection over a blocking socket, used from one thread.
///
/// The `starts` scenario times acknowledgements with it because a blocking read is woken
/// straight by the kernel when the answer arrives. Through AsyncHTTPClient the answer first
/// wakes an event-loop thread, which then resumes the waiting task on another thread: on
/// two cores shared with the server those client-side hops were measured in the latency
/// the bench attributes to the server (docs/benchmarks.md).
final class BlockingHTTPConnection {
    /// An HTTP answer: status and whole body.
    struct Answer {
        var status: Int
        var body: [UInt8]
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []

    /// Connects to `host` (an IPv4 address or `localhost`) on `port`, with Nagle off.
    init(host: String, port: Int) throws {
        let address = host == "localhost" ? "127.0.0.1" : host
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, address, &socketAddress.sin_addr) == 1 else {
            throw HarmoniaError(.benchFailed, "the socket client needs an IPv4 address or localhost, got \(host)")
        }
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw HarmoniaError(.benchFailed, "socket() failed: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let connected = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let error = errno
            close(fd)
            throw HarmoniaError(.benchFailed, "cannot connect to \(host):\(port): errno \(error)")
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Sends `request` (a whole HTTP/1.1 request) and reads its answer.
    func roundTrip(_ request: [UInt8]) throws -> Answer {
        try request.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = send(descriptor, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { throw HarmoniaError(.benchFailed, "send failed: errno \(errno)") }
                offset += written
            }
        }
        return try readAnswer()
    }

    private func readAnswer() throws -> Answer {
        let headEnd = try readUntil(Array("\r\n\r\n".utf8))
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw HarmoniaError(.benchFailed, "not an HTTP status line: \(lines.first ?? "")")
        }
        var length: Int?
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == "content-length" else { continue }
            length = Int(line[line.index(after: colon)...].trimmingSpaces())
        }
        // Harmonia answers API requests with a length; a chunked answer is not one of them.
        guard let length else { throw HarmoniaError(.benchFailed, "an answer without Content-Length: \(lines.first ?? "")") }
        try fill(upTo: length)
        let body = Array(buffer[..<length])
        buffer.removeFirst(length)
        return Answer(status: status, body: body)
    }

    /// Reads until `buffer` holds `marker`; returns where it starts.
    private func readUntil(_ marker: [UInt8]) throws -> Int {
        var searchFrom = 0
        while true {
            if buffer.count >= marker.count {
                var i = searchFrom
                while i <= buffer.count - marker.count {
                    if buffer[i] == marker[0], buffer[i..<(i + marker.count)].elementsEqual(marker) { return i }
                    i += 1
                }
                searchFrom = buffer.count - marker.count + 1
            }
            try readMore()
        }
    }

    private func fill(upTo count: Int) throws {
        while buffer.count < count { try readMore() }
    }

    private func readMore() throws {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let received = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, $0.count, 0) }
            if received < 0, errno == EINTR { continue }
            guard received > 0 else {
                throw HarmoniaError(.benchFailed, received == 0 ? "the server closed the connection" : "recv failed: errno \(errno)")
            }
            buffer += chunk[..<received]
            return
        }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

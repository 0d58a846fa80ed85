import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 for the host HTTP tests: one thread, one
/// request per connection, canned answers by path. Enough to exercise the host's client
/// without pulling a server framework into this test target.
///
/// `@unchecked Sendable`: the socket is written once in `init` and only read by the accept
/// thread and `stop`.
final class TinyHTTPServer: @unchecked Sendable {
    let port: UInt16
    private let socketFD: Int32

    /// Routes: path → (status, body).
    init(routes: [String: (Int, String)]) throws {
        let (fd, port) = try LoopbackListener.open()
        self.port = port
        socketFD = fd
        let thread = Thread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                Self.serve(client, routes: routes)
            }
        }
        thread.start()
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    func stop() {
        shutdown(socketFD, Int32(SHUT_RDWR))
        close(socketFD)
    }

    private static func serve(_ client: Int32, routes: [String: (Int, String)]) {
        defer { close(client) }
        guard let request = LoopbackListener.readRequestHead(client) else { return }
        let line = String(decoding: request.prefix { $0 != 0x0D }, as: UTF8.self)
        let parts = line.split(separator: " ")
        let path = parts.count > 1 ? String(parts[1]) : "/"
        let (status, body) = routes[path] ?? (404, #"{"detail": "Not Found"}"#)
        let response = "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nX-Test: a\r\nX-Test: b\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        _ = Array(response.utf8).withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard count >= subsequence.count else { return false }
        for start in 0...(count - subsequence.count) where self[start..<(start + subsequence.count)].elementsEqual(subsequence) {
            return true
        }
        return false
    }
}

/// A local port nobody listens on (bound, then closed), for connection-refused tests.
func closedPort() -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return UInt16(bigEndian: address.sin_port)
}

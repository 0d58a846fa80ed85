import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A component that answers the head at once and then never finishes the body: a chunked
/// 200 whose one-byte chunks come every 50 ms until the client hangs up. It counts the
/// connections it accepted and the ones the client closed, so a test sees that the host
/// really ended the exchange instead of merely stopping to wait for it.
///
/// `@unchecked Sendable`: the socket is written once in `init` and only read by the
/// threads and `stop`; the counters are behind a `Mutex`.
final class TricklingHTTPServer: @unchecked Sendable {
    let port: UInt16
    private let socketFD: Int32
    private let counters = Mutex<(accepted: Int, closedByClient: Int, requests: Int)>((0, 0, 0))

    init() throws {
        let (fd, port) = try LoopbackListener.open()
        self.port = port
        socketFD = fd
        Thread { [self] in
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                counters.withLock { $0.accepted += 1 }
                Thread { [self] in trickle(client) }.start()
            }
        }.start()
    }

    var url: String { "http://127.0.0.1:\(port)/stream" }
    var accepted: Int { counters.withLock { $0.accepted } }
    var closedByClient: Int { counters.withLock { $0.closedByClient } }
    /// Connections on which a whole request head arrived (and the trickle began).
    var requests: Int { counters.withLock { $0.requests } }

    func stop() {
        shutdown(socketFD, Int32(SHUT_RDWR))
        close(socketFD)
    }

    /// Reads the request head, sends the response head, then one chunk every 50 ms until a
    /// write fails (the client closed the connection) or, as a safety net, 60 s passed.
    private func trickle(_ client: Int32) {
        defer { close(client) }
        guard LoopbackListener.readRequestHead(client) != nil else { return }
        counters.withLock { $0.requests += 1 }
        guard send(client, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n") else { return }
        let until = Date().addingTimeInterval(60)
        while Date() < until {
            guard send(client, "1\r\nx\r\n") else {
                counters.withLock { $0.closedByClient += 1 }
                return
            }
            usleep(50_000)
        }
    }

    /// Writes all of `text`; false when the peer is gone (`MSG_NOSIGNAL`: no SIGPIPE).
    private func send(_ client: Int32, _ text: String) -> Bool {
        Array(text.utf8).withUnsafeBytes { bytes in
            Glibc.send(client, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count
        }
    }
}

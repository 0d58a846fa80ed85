import NIOCore

/// When a connection has waited too long for its client, and what to answer: the rules
/// behind the request head, body and keep-alive idle timeouts, as a pure state machine.
///
/// No clock and no I/O: `ConnectionGuard` feeds it what the connection saw (bytes, a request
/// head, the end of a body, the end of a response, a timer) with the time, and performs the
/// returned action. Without these rules a client that sent half a request line, half its
/// headers or nothing at all held its connection for good, before authentication was
/// checked, and 20,000 of them exhausted the server's file descriptors.
struct ConnectionTimeouts {
    /// What the connection is waiting for.
    enum Phase: Equatable {
        /// Between requests of a kept-alive connection: the next request's first byte.
        case idle
        /// A request head to complete (from the connection's start or the request's first byte).
        case readingHead
        /// The rest of a request whose head arrived: its body, up to its end.
        case readingBody
        /// The server's answer: no timeout, handlers may stream for hours (SSE).
        case handling
        /// Upgraded to WebSocket, or closed: nothing more to time.
        case done
    }

    /// Which wait ran out.
    enum Expiry: Equatable {
        case idle, head, body
    }

    /// What the guard is to do.
    enum Action: Equatable {
        case none
        /// (Re)arm the single timer for this deadline.
        case arm(NIODeadline)
        /// Give up on the client: answer 408 if no response has started, then close.
        case expire(Expiry)
        /// The request line is longer than the URI limit allows: answer 414 and close.
        case uriTooLong
    }

    let headTimeout: TimeAmount
    let bodyTimeout: TimeAmount
    let idleTimeout: TimeAmount
    /// Longest request line accepted (method, URI, version and spaces).
    let maxRequestLineBytes: Int

    private(set) var phase: Phase = .readingHead
    private(set) var deadline: NIODeadline?
    /// Requests whose head arrived minus responses that ended (pipelined requests).
    private(set) var outstanding = 0
    /// Whether the current response's head went out (then a timeout can only close).
    private(set) var responseStarted = false
    /// Bytes of the request line seen so far in `readingHead`, until its line feed.
    private var requestLineBytes = 0
    private var requestLineEnded = false
    /// Between a request's head and its end as the decoder saw them: raw bytes then are
    /// body, even after the response ended (a 413 answered before the body was read), and
    /// must not be taken for the next request line.
    private var decodingRequest = false

    init(headTimeout: TimeAmount, bodyTimeout: TimeAmount, idleTimeout: TimeAmount, maxRequestLineBytes: Int) {
        self.headTimeout = headTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maxRequestLineBytes = maxRequestLineBytes
    }

    /// The connection opened: its first request head is due within the head timeout.
    mutating func connected(now: NIODeadline) -> Action {
        phase = .readingHead
        return arm(now + headTimeout)
    }

    /// Raw bytes arrived. The first byte after an idle wait starts the head timeout; while
    /// a head is read, the request line is measured up to its line feed.
    mutating func received(_ bytes: ByteBufferView, now: NIODeadline) -> Action {
        var action = Action.none
        guard !decodingRequest else { return action }
        if phase == .idle {
            phase = .readingHead
            requestLineBytes = 0
            requestLineEnded = false
            action = arm(now + headTimeout)
        }
        guard phase == .readingHead, !requestLineEnded else { return action }
        if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
            requestLineBytes += bytes.distance(from: bytes.startIndex, to: newline)
            requestLineEnded = true
        } else {
            requestLineBytes += bytes.count
        }
        if requestLineBytes > maxRequestLineBytes {
            phase = .done
            deadline = nil
            return .uriTooLong
        }
        return action
    }

    /// A complete request head was decoded: its body is due within the body timeout.
    mutating func headReceived(now: NIODeadline) -> Action {
        outstanding += 1
        decodingRequest = true
        guard phase != .done else { return .none }
        if phase == .handling { return .none }  // pipelined: the earlier response comes first
        phase = .readingBody
        requestLineEnded = true
        return arm(now + bodyTimeout)
    }

    /// The request's end arrived: the server is answering, which may take any time.
    mutating func bodyEnded() -> Action {
        decodingRequest = false
        guard phase == .readingBody else { return .none }
        phase = .handling
        deadline = nil
        return .none
    }

    /// A response head went out.
    mutating func responseHeadSent() {
        responseStarted = true
    }

    /// A response ended: idle until the next request, unless one already arrived.
    mutating func responseEnded(now: NIODeadline) -> Action {
        outstanding = max(0, outstanding - 1)
        responseStarted = false
        guard phase != .done else { return .none }
        if outstanding > 0 {
            // The next (pipelined) request is already in; it is being read or answered.
            return .none
        }
        phase = .idle
        return arm(now + idleTimeout)
    }

    /// The connection was upgraded or closed: no more timeouts.
    mutating func finished() {
        phase = .done
        deadline = nil
    }

    /// The timer fired: expire the wait if its deadline passed, else re-arm for it.
    mutating func timerFired(now: NIODeadline) -> Action {
        guard let deadline else { return .none }
        guard now >= deadline else { return .arm(deadline) }
        self.deadline = nil
        let expiry: Expiry
        switch phase {
        case .idle: expiry = .idle
        case .readingHead: expiry = .head
        case .readingBody: expiry = .body
        case .handling, .done: return .none
        }
        phase = .done
        return .expire(expiry)
    }

    private mutating func arm(_ at: NIODeadline) -> Action {
        deadline = at
        return .arm(at)
    }
}

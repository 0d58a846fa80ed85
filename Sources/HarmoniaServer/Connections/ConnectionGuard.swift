import HarmoniaCore
import NIOCore
import NIOHTTP1

/// One connection's timeouts, limits and connection slot, shared by its two guard handlers:
/// `RawConnectionGuardHandler` (first in the pipeline: raw bytes, the slot, the answers) and
/// `HTTPPartGuardHandler` (right after the HTTP decoder: heads, ends, decoder errors).
///
/// Lives on the channel's event loop only; the rules are `ConnectionTimeouts`, this performs
/// their actions with one timer that is re-armed rather than rescheduled per request.
final class ConnectionGuard {
    private var timeouts: ConnectionTimeouts
    private let limiter: ConnectionLimiter
    private let maxURIBytes: Int
    private var holdsSlot = false
    private var activated = false
    /// Set once the guard answered or closed: one answer per connection, whatever follows.
    private var closing = false
    /// The raw handler's context: answers are written there, below the HTTP encoder.
    var rawContext: ChannelHandlerContext?
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?

    init(limits: HTTPLimits, limiter: ConnectionLimiter) {
        self.timeouts = ConnectionTimeouts(
            headTimeout: Self.amount(limits.requestHeadTimeout), bodyTimeout: Self.amount(limits.requestBodyTimeout),
            idleTimeout: Self.amount(limits.idleTimeout), maxRequestLineBytes: limits.maxURIBytes + 32)
        self.limiter = limiter
        self.maxURIBytes = limits.maxURIBytes
    }

    /// `seconds` (range-checked by the configuration, clamped again here) as a `TimeAmount`.
    static func amount(_ seconds: Double) -> TimeAmount {
        .milliseconds(Int64(DurationLimit.clamped(seconds) * 1000))
    }

    /// The connection is active: take a slot (or answer 503) and start the head timeout.
    func activate() {
        guard !activated else { return }
        activated = true
        guard limiter.acquire() else {
            timeouts.finished()
            reject(.tooManyConnections(limiter.maximum))
            return
        }
        holdsSlot = true
        perform(timeouts.connected(now: .now()))
    }

    func received(_ buffer: ByteBuffer) {
        perform(timeouts.received(buffer.readableBytesView, now: .now()))
    }

    func headReceived() { perform(timeouts.headReceived(now: .now())) }
    func bodyEnded() { perform(timeouts.bodyEnded()) }
    func responseHeadSent() { timeouts.responseHeadSent() }
    func responseEnded() { perform(timeouts.responseEnded(now: .now())) }

    /// Upgraded to WebSocket: the HTTP rules no longer apply.
    func upgraded() {
        timeouts.finished()
        cancelTimer()
    }

    /// A WebSocket upgrade without a valid key: 401 and close, as documented.
    func unauthorizedUpgrade() {
        timeouts.finished()
        cancelTimer()
        reject(.unauthorized)
    }

    /// The decoder refused the bytes: answer (unless a response is under way) and close.
    func decoderFailed(_ error: HTTPParserError) {
        timeouts.finished()
        cancelTimer()
        if timeouts.responseStarted {
            closeConnection()
            return
        }
        switch error {
        case .headerOverflow: reject(.headersTooLarge)
        default: reject(.malformed("\(error)"))
        }
    }

    /// The connection closed: give the slot back, stop the timer.
    func closed() {
        timeouts.finished()
        cancelTimer()
        if holdsSlot {
            holdsSlot = false
            limiter.release()
        }
    }

    private func perform(_ action: ConnectionTimeouts.Action) {
        switch action {
        case .none:
            break
        case .arm(let deadline):
            arm(deadline)
        case .expire(let expiry):
            cancelTimer()
            switch expiry {
            case .idle:
                closeConnection()
            case .head, .body:
                if timeouts.responseStarted {
                    closeConnection()
                } else {
                    reject(.requestTimeout(expiry == .head ? "request head" : "request body"))
                }
            }
        case .uriTooLong:
            cancelTimer()
            reject(.uriTooLong(maxURIBytes))
        }
    }

    /// Writes `rejection` straight to the socket, then closes.
    private func reject(_ rejection: ConnectionRejection) {
        guard !closing, let context = rawContext, context.channel.isActive else { return }
        closing = true
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(NIOAny(rejection.bytes(allocator: context.channel.allocator)), promise: promise)
        promise.futureResult.assumeIsolated().whenComplete { _ in Self.close(context) }
    }

    private func closeConnection() {
        guard !closing, let context = rawContext else { return }
        closing = true
        Self.close(context)
    }

    /// Closes as if the client had: the handlers above first see the input end. Closing
    /// outright removed the WebSocket upgrade handler with its result pending, which
    /// Hummingbird logs as an error, so every timed-out connection logged one (an attacker's
    /// 20,000 connections, 20,000 error lines); the end of input it takes quietly.
    private static func close(_ context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        context.close(promise: nil)
    }

    /// One timer: an earlier deadline replaces it; a later one waits for it to fire and
    /// re-arm (`ConnectionTimeouts.timerFired`), so most requests cost no rescheduling.
    private func arm(_ deadline: NIODeadline) {
        if let armed = timerDeadline, armed <= deadline { return }
        cancelTimer()
        guard let context = rawContext else { return }
        timerDeadline = deadline
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            timerDeadline = nil
            perform(timeouts.timerFired(now: .now()))
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerDeadline = nil
    }
}

/// First in the pipeline: sees raw bytes, holds the connection slot, writes the guard's
/// answers below the HTTP encoder.
final class RawConnectionGuardHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let connection: ConnectionGuard

    init(_ connection: ConnectionGuard) {
        self.connection = connection
    }

    func handlerAdded(context: ChannelHandlerContext) {
        connection.rawContext = context
        if context.channel.isActive { connection.activate() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        connection.closed()
        connection.rawContext = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        connection.activate()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.closed()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        connection.received(unwrapInboundIn(data))
        context.fireChannelRead(data)
    }
}

/// Right after the HTTP decoder: tells the guard when heads, ends and responses pass, and
/// answers the decoder's errors (which nothing else in the upgradable pipeline handles, so
/// a malformed request line used to leave the connection open and silent). Once a WebSocket
/// upgrade is answered it only passes frames through.
final class HTTPPartGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let connection: ConnectionGuard
    private let authentication: WebSocketUpgradeAuthentication
    /// Set once a request was refused here: nothing more of it goes up the pipeline.
    private var refused = false
    /// Set once the connection switched to WebSocket: everything passes through as it is.
    private var upgraded = false

    init(_ connection: ConnectionGuard, authentication: WebSocketUpgradeAuthentication) {
        self.connection = connection
        self.authentication = authentication
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        guard !upgraded else {
            context.fireChannelRead(data)
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            if authentication.refuses(head) {
                refused = true
                connection.unauthorizedUpgrade()
                return
            }
            connection.headReceived()
        case .body: break
        case .end: connection.bodyEnded()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !upgraded else {
            context.write(data, promise: promise)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status == .switchingProtocols:
            // From here on WebSocket frames pass through untouched. Not removed from the
            // pipeline here: the upgrade handler's `writeAndFlush` flushes through this
            // handler right after this write, and a flush from a removed handler is lost
            // (the 101 then never left).
            upgraded = true
            connection.upgraded()
            context.write(data, promise: promise)
            return
        case .head: connection.responseHeadSent()
        case .body: break
        case .end: connection.responseEnded()
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !upgraded, let error = error as? HTTPParserError {
            connection.decoderFailed(error)
            return
        }
        context.fireErrorCaught(error)
    }
}

@available(*, unavailable)
extension ConnectionGuard: Sendable {}
@available(*, unavailable)
extension RawConnectionGuardHandler: Sendable {}
@available(*, unavailable)
extension HTTPPartGuardHandler: Sendable {}

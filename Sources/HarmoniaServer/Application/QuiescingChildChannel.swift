import Hummingbird
import HummingbirdCore
import Logging
import HummingbirdWebSocket
import NIOCore
import NIOHTTP1

/// Wraps a child channel so a graceful shutdown also closes connections that never sent a
/// request.
///
/// With WebSocket upgrades enabled, Hummingbird adds the handler that answers a shutdown's
/// quiesce event (`HTTPConnectionStateHandler`) only once a connection's first request has
/// been read. A connection opened but still silent (a client's spare or pre-opened
/// connection: AsyncHTTPClient under a burst, a browser's preconnect) got the event and
/// ignored it, and the server's shutdown waited until the client closed it: 60 s with
/// AsyncHTTPClient's idle timeout, which is how `harmonia bench --smoke` found it.
///
/// It also installs the connection guard (`ConnectionGuard`): the request head, body and
/// idle timeouts, the URI limit, answers to malformed requests and the connection cap.
struct QuiescingChildChannel<Wrapped: ServerChildChannel>: ServerChildChannel {
    typealias Value = Wrapped.Value

    let wrapped: Wrapped
    var limits = HTTPLimits()
    var limiter: ConnectionLimiter? = nil
    var authentication = WebSocketUpgradeAuthentication(keys: [])

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        // First in the pipeline, so it sees the raw bytes and the quiesce event before the
        // HTTP handlers the wrapped setup adds. Setup runs on the channel's event loop.
        let connection = limiter.map {
            NIOLoopBound(ConnectionGuard(limits: limits, limiter: $0), eventLoop: channel.eventLoop)
        }
        return channel.eventLoop.makeCompletedFuture {
            if let connection {
                try channel.pipeline.syncOperations.addHandler(RawConnectionGuardHandler(connection.value))
            }
            try channel.pipeline.syncOperations.addHandler(CloseSilentConnectionOnQuiesce())
        }.flatMap {
            wrapped.setup(channel: channel, logger: logger)
        }.flatMapThrowing { value in
            // Right after the HTTP decoder the wrapped setup added, ahead of the upgrade
            // handler, so it sees the first request's head and the decoder's errors.
            if let connection {
                let decoder = try channel.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
                try channel.pipeline.syncOperations.addHandler(HTTPPartGuardHandler(connection.value, authentication: authentication),
                    position: .after(decoder))
            }
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await wrapped.handle(value: value, logger: logger)
    }
}

/// Closes the connection on a quiesce event if it has not received a byte yet; otherwise
/// passes the event on to the HTTP handlers, which finish the request in progress first.
final class CloseSilentConnectionOnQuiesce: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias InboundOut = NIOAny

    private var receivedData = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        receivedData = true
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, !receivedData {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

@available(*, unavailable)
extension CloseSilentConnectionOnQuiesce: Sendable {}

extension HTTPServerBuilder {
    /// `http1WebSocketUpgrade(webSocketRouter:)` whose connections close on a graceful
    /// shutdown even before their first request (`QuiescingChildChannel`).
    /// `limits` set the connection guard and the HTTP decoder's header limits; `apiKeys`,
    /// when not empty, are required of WebSocket upgrades (401 otherwise).
    static func quiescingHTTP1WebSocketUpgrade<WebSocketRouter: HTTPResponderBuilder & _HB_SendableMetatype>(
        webSocketRouter: WebSocketRouter, limits: HTTPLimits = HTTPLimits(), apiKeys: [String] = []
    ) -> HTTPServerBuilder where WebSocketRouter.Responder.Context: WebSocketRequestContext {
        let webSocketResponder = webSocketRouter.buildResponder()
        let limiter = ConnectionLimiter(maximum: limits.maxConnections)
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(
            maxHeaderFieldSize: max(limits.maxHeaderBytes, limits.maxURIBytes + 32),
            maxHeaderListSize: limits.maxHeaderBytes + limits.maxURIBytes + 32,
            maxHeaderFieldCount: limits.maxHeaderCount)
        return .init { responder in
            QuiescingChildChannel(
                wrapped: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder,
                    configuration: .init(http1: .init(idleTimeout: nil, httpDecoderConfiguration: decoder))),
                limits: limits, limiter: limiter, authentication: WebSocketUpgradeAuthentication(keys: apiKeys))
        }
    }
}

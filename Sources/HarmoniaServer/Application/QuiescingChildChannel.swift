import Hummingbird
import HummingbirdCore
import Logging
import HummingbirdWebSocket
import NIOCore

/// Wraps a child channel so a graceful shutdown also closes connections that never sent a
/// request.
///
/// With WebSocket upgrades enabled, Hummingbird adds the handler that answers a shutdown's
/// quiesce event (`HTTPConnectionStateHandler`) only once a connection's first request has
/// been read. A connection opened but still silent (a client's spare or pre-opened
/// connection: AsyncHTTPClient under a burst, a browser's preconnect) got the event and
/// ignored it, and the server's shutdown waited until the client closed it: 60 s with
/// AsyncHTTPClient's idle timeout, which is how `harmonia bench --smoke` found it.
struct QuiescingChildChannel<Wrapped: ServerChildChannel>: ServerChildChannel {
    typealias Value = Wrapped.Value

    let wrapped: Wrapped

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        // First in the pipeline, so it sees the raw bytes and the quiesce event before the
        // HTTP handlers the wrapped setup adds. Setup runs on the channel's event loop.
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(CloseSilentConnectionOnQuiesce())
        }.flatMap {
            wrapped.setup(channel: channel, logger: logger)
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
    static func quiescingHTTP1WebSocketUpgrade<WebSocketRouter: HTTPResponderBuilder & _HB_SendableMetatype>(
        webSocketRouter: WebSocketRouter
    ) -> HTTPServerBuilder where WebSocketRouter.Responder.Context: WebSocketRequestContext {
        let webSocketResponder = webSocketRouter.buildResponder()
        return .init { responder in
            QuiescingChildChannel(
                wrapped: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder, configuration: .init()))
        }
    }
}

import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of every Harmonia route.
///
/// A type of our own (rather than `BasicRequestContext`) so that per-request facts live in
/// one place. It is a `WebSocketRequestContext` because one router serves REST, SSE and the
/// WebSocket upgrade on one port: the same router is handed to the application and to
/// `.http1WebSocketUpgrade(webSocketRouter:)`, and a matched `ws` route parks its handler in
/// `webSocket` for the upgrade to pick up.
public struct HarmoniaRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    /// The client's connection, so that work done for the request can end when the client
    /// goes away (`DirectCall`).
    public let channel: any Channel

    /// The peer's address, for the routes only a caller on this machine may use.
    public var remoteAddress: SocketAddress? { channel.remoteAddress }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.channel = source.channel
    }
}

import NIOCore

/// Tells a direct call that its client went away: the connection closed, or its input
/// ended (the server allows half-closed connections, so a client that hangs up mid-request
/// shows up as `inputClosed`, not as a closed channel, until the response is written).
///
/// Added to the front of the connection's pipeline for the duration of one call and
/// removed after it; it passes every event on unchanged.
final class ClientDisconnectWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let onDisconnect: @Sendable () -> Void
    private var fired = false

    private init(onDisconnect: @escaping @Sendable () -> Void) {
        self.onDisconnect = onDisconnect
    }

    /// Installs a watcher on `channel` (from any thread); an already closed channel calls
    /// `onDisconnect` at once.
    ///
    /// An active channel gets the handler, which is removed after the call, so a keep-alive
    /// connection carrying many calls holds nothing per finished call. A channel that is
    /// not active is closed (its close future has completed or is about to) or was never
    /// connected (a test harness's channel): its close future alone says when it goes away.
    static func install(on channel: any Channel, onDisconnect: @escaping @Sendable () -> Void) -> Installed {
        let installed = Installed(channel: channel)
        channel.eventLoop.execute {
            let watcher = ClientDisconnectWatcher(onDisconnect: onDisconnect)
            if channel.isActive, (try? channel.pipeline.syncOperations.addHandler(watcher, position: .first)) != nil {
                installed.set(watcher)
            } else {
                channel.closeFuture.whenComplete { _ in onDisconnect() }
            }
        }
        return installed
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { disconnected() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        disconnected()
        context.fireChannelInactive()
    }

    private func disconnected() {
        guard !fired else { return }
        fired = true
        onDisconnect()
    }

    /// A watcher on a channel, removed with `remove()` once the call ended.
    final class Installed: Sendable {
        private let channel: any Channel
        /// Touched only on the channel's event loop.
        private let watcher: NIOLoopBoundBox<ClientDisconnectWatcher?>

        init(channel: any Channel) {
            self.channel = channel
            self.watcher = NIOLoopBoundBox.makeEmptyBox(valueType: ClientDisconnectWatcher.self, eventLoop: channel.eventLoop)
        }

        /// Called on the channel's event loop.
        fileprivate func set(_ watcher: ClientDisconnectWatcher) {
            self.watcher.value = watcher
        }

        /// Takes the watcher out of the pipeline (on the channel's event loop).
        func remove() {
            let channel = self.channel
            let watcher = self.watcher
            channel.eventLoop.execute {
                guard let handler = watcher.value else { return }
                watcher.value = nil
                _ = channel.pipeline.syncOperations.removeHandler(handler)
            }
        }
    }
}

@available(*, unavailable)
extension ClientDisconnectWatcher: Sendable {}

import Hummingbird

/// The request context of every Harmonia route.
///
/// A type of our own (rather than `BasicRequestContext`) so that per-request facts such as
/// the authenticated key, or WebSocket support, can be added in one place later.
public struct HarmoniaRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }
}

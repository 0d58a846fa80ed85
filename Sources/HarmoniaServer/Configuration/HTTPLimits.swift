/// How long the server waits for a client and how much of a request head it reads, per
/// connection, and how many connections it serves at once (`server.*` keys; see
/// `docs/configuration.md`).
///
/// All of these apply before authentication (the server cannot know who is calling before
/// the head is read), so they are what keeps a client without a key from holding
/// connections open or filling the file-descriptor table.
public struct HTTPLimits: Sendable, Hashable {
    /// Seconds a client has to send a complete request head, from connecting or from the
    /// first byte of a request on a kept-alive connection; then 408 and close.
    public var requestHeadTimeout: Double = 10
    /// Seconds a client has to send a request's whole body once its head arrived; then 408
    /// (if no response has started) and close.
    public var requestBodyTimeout: Double = 30
    /// Seconds a kept-alive connection may sit between requests; then it is closed.
    public var idleTimeout: Double = 60
    /// Most header fields in one request; more gets 431 and a closed connection.
    public var maxHeaderCount: Int = 100
    /// Most bytes of header fields (names and values) in one request; more gets 431.
    public var maxHeaderBytes: Int = 32 * 1024
    /// Longest request URI, in bytes; longer gets 414 and a closed connection.
    public var maxURIBytes: Int = 8 * 1024
    /// Most connections open at once; one more is answered 503 and closed at once, so
    /// file descriptors stay available for the store, plugins and `/health`.
    public var maxConnections: Int = 2048

    public init() {}
}

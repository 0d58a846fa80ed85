/// The body of `POST /shutdown`'s 202: the graceful shutdown has been started.
public struct ShutdownResponse: Codable, Sendable, Hashable {
    /// Always `shutting_down`.
    public var status: String
    public var message: String

    public init(status: String = "shutting_down", message: String) {
        self.status = status
        self.message = message
    }
}

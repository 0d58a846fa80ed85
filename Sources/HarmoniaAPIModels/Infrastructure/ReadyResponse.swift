/// The body of `GET /ready` when the engine has recovered and accepts work (else a 503
/// error body with code `not_ready`).
public struct ReadyResponse: Codable, Sendable, Hashable {
    /// Always `ready`.
    public var status: String

    public init(status: String = "ready") {
        self.status = status
    }
}

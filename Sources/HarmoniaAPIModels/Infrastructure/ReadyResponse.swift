/// The body of `GET /ready`: 200 with `ready: true` when the engine has recovered and
/// accepts work, 503 with `ready: false` and the error's `code` and `detail` otherwise.
///
/// `ready` is the boolean Tekton's status tool reads; `status`, `code` and `detail` keep
/// the shape of every other answer for clients that read those.
public struct ReadyResponse: Codable, Sendable, Hashable {
    /// `ready` or `not_ready`.
    public var status: String
    public var ready: Bool
    public var version: String?
    /// Seconds since the server started.
    public var uptime: Double?
    /// Why not ready (`not_ready`); absent when ready.
    public var code: String?
    public var detail: String?

    public init(
        status: String = "ready", ready: Bool = true, version: String? = nil, uptime: Double? = nil,
        code: String? = nil, detail: String? = nil
    ) {
        self.status = status
        self.ready = ready
        self.version = version
        self.uptime = uptime
        self.code = code
        self.detail = detail
    }
}

/// The body of every successful business response: `{"status": "success", "message", "data"}`.
///
/// Tekton clients look at `status` and `data`, so the envelope is kept even though HTTP
/// status codes already say "success".
public struct APISuccess<Payload: Codable & Sendable>: Codable, Sendable {
    /// Always `success`.
    public var status: String
    /// A short human-readable summary, such as "workflow created".
    public var message: String
    public var data: Payload

    public init(message: String, data: Payload) {
        self.status = "success"
        self.message = message
        self.data = data
    }
}

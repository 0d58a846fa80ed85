import Foundation

/// A named JSON value sent to one execution (`POST /api/v1/executions/{id}/signals/{name}`).
///
/// A signal is stored when it arrives. It completes the first `harmonia.wait_for_signal`
/// task waiting for its name; when none waits it is kept (pending) until one starts, and it
/// is consumed exactly once: a second wait for the same name needs a second signal.
public struct ExecutionSignal: Sendable, Hashable, Codable {
    /// A UUID naming this delivery (two signals with the same name are two rows).
    public var id: String
    public var executionID: String
    public var name: String
    public var payload: JSONValue
    public var receivedAt: Date
    /// The task whose wait it completed; nil while pending.
    public var consumedBy: String?
    /// The attempt of `consumedBy` it completed.
    public var consumedAttempt: Int?
    public var consumedAt: Date?

    public init(
        id: String = UUID().uuidString.lowercased(), executionID: String, name: String, payload: JSONValue,
        receivedAt: Date, consumedBy: String? = nil, consumedAttempt: Int? = nil, consumedAt: Date? = nil
    ) {
        self.id = id
        self.executionID = executionID
        self.name = name
        self.payload = payload
        self.receivedAt = receivedAt
        self.consumedBy = consumedBy
        self.consumedAttempt = consumedAttempt
        self.consumedAt = consumedAt
    }

    public var isPending: Bool { consumedBy == nil }

    enum CodingKeys: String, CodingKey {
        case id
        case executionID = "execution_id"
        case name, payload
        case receivedAt = "received_at"
        case consumedBy = "consumed_by"
        case consumedAttempt = "consumed_attempt"
        case consumedAt = "consumed_at"
    }
}

import Foundation
import HarmoniaCore

/// `POST /executions/{id}/signals/{name}`: the signal as stored. `consumed_by` names the
/// task whose wait it completed; absent while it is kept for a later wait (`status`
/// `pending`).
public struct SignalView: Codable, Sendable, Hashable {
    public var signalID: String
    public var executionID: String
    public var name: String
    /// `consumed` or `pending`.
    public var status: String
    public var consumedBy: String?
    public var receivedAt: Date

    public init(_ signal: ExecutionSignal) {
        signalID = signal.id
        executionID = signal.executionID
        name = signal.name
        status = signal.isPending ? "pending" : "consumed"
        consumedBy = signal.consumedBy
        receivedAt = signal.receivedAt
    }

    enum CodingKeys: String, CodingKey {
        case signalID = "signal_id"
        case executionID = "execution_id"
        case name, status
        case consumedBy = "consumed_by"
        case receivedAt = "received_at"
    }
}

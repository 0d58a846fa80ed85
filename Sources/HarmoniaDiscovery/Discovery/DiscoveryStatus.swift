import Foundation

/// The reconciler's view of Hermes, for logs, `/health` details and tests.
public struct DiscoveryStatus: Sendable, Hashable {
    /// Nil when Hermes is not configured; else whether the latest poll got an answer.
    public var hermesReachable: Bool?
    /// When the latest successful poll happened.
    public var lastPoll: Date?
    /// The latest poll failure, cleared by the next success.
    public var lastError: String?
    /// Completed reconciliation passes (successful poll or not).
    public var passes: Int

    public init(hermesReachable: Bool? = nil, lastPoll: Date? = nil, lastError: String? = nil, passes: Int = 0) {
        self.hermesReachable = hermesReachable
        self.lastPoll = lastPoll
        self.lastError = lastError
        self.passes = passes
    }
}

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

/// The rule for signal names, shared by the route and the `wait_for_signal` action so a
/// name one accepts the other accepts too.
public enum SignalName {
    /// Longest name, in bytes.
    public static let maxBytes = 128

    /// Throws `invalid_request` naming what is wrong with `name` (`path` says where it came from).
    public static func validate(_ name: String, path: String) throws {
        if name.isEmpty {
            throw HarmoniaError(.invalidRequest, "signal name is empty; use 1–\(maxBytes) characters of A-Z a-z 0-9 _ . -", path: path)
        }
        if name.utf8.count > maxBytes {
            throw HarmoniaError(
                .invalidRequest, "signal name is \(name.utf8.count) bytes; at most \(maxBytes) are allowed", path: path)
        }
        if let bad = name.unicodeScalars.first(where: { !isAllowed($0) }) {
            throw HarmoniaError(
                .invalidRequest,
                "signal name '\(name)' contains '\(bad.escaped(asASCII: true))'; only A-Z a-z 0-9 _ . - are allowed", path: path)
        }
    }

    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", ".", "-": return true
        default: return false
        }
    }
}

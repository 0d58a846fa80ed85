import HarmoniaCore

/// The optional body of `POST /executions/{id}/cancel|pause|resume`.
///
/// Only `reason` is read (by cancel); an empty body is the same as `{}`.
public struct ControlRequest: Codable, Sendable, Hashable {
    /// Why the execution is canceled; recorded on the execution and its events.
    public var reason: String?

    public init(reason: String? = nil) {
        self.reason = reason
    }

    /// Reads a request body leniently.
    public init(json: JSONValue) throws {
        self.init(reason: try LenientFields(json).string("reason"))
    }

    public init(from decoder: any Decoder) throws {
        try self.init(json: JSONValue(from: decoder))
    }

    enum CodingKeys: String, CodingKey {
        case reason
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(reason, forKey: .reason)
    }
}

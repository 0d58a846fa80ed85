import Foundation
import HarmoniaCore

/// One entry of `GET /api/components`, read leniently: Hermes leaves `type`, `port` and
/// `last_heartbeat` null for most components, and nothing but the shape is guaranteed.
public struct HermesComponent: Sendable, Hashable {
    public var componentID: String
    public var name: String
    public var version: String?
    /// Always null in today's Hermes; kept for the day it is not.
    public var type: String?
    public var port: Int?
    public var status: String?
    public var capabilities: [String]
    public var endpoint: String?
    /// Null for components that heartbeat without their token (all but Harmonia).
    public var lastHeartbeat: Date?
    public var registeredAt: Date?
    public var metadata: JSONValue

    public init(
        componentID: String, name: String, version: String? = nil, type: String? = nil, port: Int? = nil,
        status: String? = nil, capabilities: [String] = [], endpoint: String? = nil, lastHeartbeat: Date? = nil,
        registeredAt: Date? = nil, metadata: JSONValue = .emptyObject
    ) {
        self.componentID = componentID
        self.name = name
        self.version = version
        self.type = type
        self.port = port
        self.status = status
        self.capabilities = capabilities
        self.endpoint = endpoint
        self.lastHeartbeat = lastHeartbeat
        self.registeredAt = registeredAt
        self.metadata = metadata
    }

    /// Reads one record; nil when it has neither an id nor a name (nothing to map it by).
    init?(json: JSONValue) {
        guard let object = json.objectValue else { return nil }
        let id = object["component_id"]?.stringValue ?? object["componentId"]?.stringValue ?? ""
        let name = object["name"]?.stringValue ?? ""
        guard !id.isEmpty || !name.isEmpty else { return nil }
        self.init(
            componentID: id, name: name, version: object["version"]?.stringValue, type: object["type"]?.stringValue,
            port: object["port"]?.intValue, status: object["status"]?.stringValue,
            capabilities: object["capabilities"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            endpoint: object["endpoint"]?.stringValue,
            lastHeartbeat: Self.date(object["last_heartbeat"] ?? object["lastHeartbeat"]),
            registeredAt: Self.date(object["registered_at"]), metadata: object["metadata"] ?? .emptyObject)
    }

    /// Hermes writes times as Unix seconds (`time.time()`); ISO 8601 text is accepted too.
    static func date(_ value: JSONValue?) -> Date? {
        switch value {
        case .integer(let seconds): return Date(timeIntervalSince1970: Double(seconds))
        case .double(let seconds): return Date(timeIntervalSince1970: seconds)
        case .string(let text):
            if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
            return Self.isoWithFraction.date(from: text) ?? Self.iso.date(from: text)
                ?? Self.iso.date(from: text + "Z") ?? Self.isoWithFraction.date(from: text + "Z")
        default: return nil
        }
    }

    // ISO8601DateFormatter is thread-safe for reading once configured.
    nonisolated(unsafe) private static let iso = ISO8601DateFormatter()
    nonisolated(unsafe) private static let isoWithFraction: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}

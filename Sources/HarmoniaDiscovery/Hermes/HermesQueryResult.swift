import Foundation
import HarmoniaCore

/// One entry of `POST /api/query` (camelCase, unlike `/api/components`).
public struct HermesQueryResult: Sendable, Hashable {
    public var componentID: String
    public var name: String
    public var version: String?
    public var type: String?
    public var endpoint: String?
    public var capabilities: [String]
    public var metadata: JSONValue
    public var healthy: Bool
    public var lastHeartbeat: Date?

    init?(json: JSONValue) {
        guard let object = json.objectValue else { return nil }
        componentID = object["componentId"]?.stringValue ?? object["component_id"]?.stringValue ?? ""
        name = object["name"]?.stringValue ?? ""
        guard !componentID.isEmpty || !name.isEmpty else { return nil }
        version = object["version"]?.stringValue
        type = object["type"]?.stringValue
        endpoint = object["endpoint"]?.stringValue
        capabilities = object["capabilities"]?.arrayValue?.compactMap(\.stringValue) ?? []
        metadata = object["metadata"] ?? .emptyObject
        healthy = object["healthy"]?.boolValue ?? false
        lastHeartbeat = HermesComponent.date(object["lastHeartbeat"] ?? object["last_heartbeat"])
    }
}

import Foundation
import HarmoniaCore
import Synchronization

/// The registry semantics, separate from HTTP so test helpers share them.
extension HermesDouble {
    enum Answer: Sendable {
        case ok(JSONValue)
        case status(Int, JSONValue)

        var isOK: Bool {
            if case .ok = self { return true }
            return false
        }
    }

    static let unauthorized = Answer.status(401, .object(["detail": .string("Invalid authentication token")]))

    /// FastAPI's answer to a missing required header.
    static let missingToken = Answer.status(
        422,
        .object([
            "detail": .array([
                .object([
                    "loc": .array([.string("header"), .string("x-authentication-token")]),
                    "msg": .string("field required"), "type": .string("value_error.missing"),
                ])
            ])
        ]))

    func register(_ body: JSONValue, now: Date = Date()) -> Answer {
        guard let object = body.objectValue, let name = object["name"]?.stringValue,
            let type = object["type"]?.stringValue, let endpoint = object["endpoint"]?.stringValue
        else {
            return .status(422, .object(["detail": .string("name, type and endpoint are required")]))
        }
        let suffix = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(8))
        let id = object["component_id"]?.stringValue ?? "\(type)-\(name)-\(suffix)"
        let token = state.withLock { state -> String in
            let expires = now.addingTimeInterval(Self.seconds(state.tokenLifetime))
            let token = Self.token(for: id, issued: now, expires: expires, generation: state.generation)
            state.issued[token] = Issued(componentID: id, expiresAt: expires)
            let entry = Entry(
                componentID: id, name: name, version: object["version"]?.stringValue ?? "", type: type,
                endpoint: endpoint, capabilities: object["capabilities"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                metadata: object["metadata"] ?? .emptyObject, token: token, expiresAt: expires, registeredAt: now)
            // Re-registering the same id overwrites the entry (and its token).
            state.entries.removeAll { $0.componentID == id }
            state.entries.append(entry)
            return token
        }
        return .ok(
            .object([
                "success": .bool(true), "componentId": .string(id), "token": .string(token),
                "message": .string("Component \(name) registered successfully"),
            ]))
    }

    /// Like the real Hermes (`RegistrationManager.send_heartbeat`): only the token's
    /// signature, its component id and its expiry are checked, never the registry, so a
    /// component that a restart dropped from the registry still gets 200.
    func heartbeat(token: String?, body: JSONValue) -> Answer {
        guard let token else { return Self.missingToken }
        guard let id = body.objectValue?["component_id"]?.stringValue else {
            return .status(422, .object(["detail": .string("component_id is required")]))
        }
        let accepted = state.withLock { state -> Bool in
            guard Self.validates(token, for: id, in: state) else { return false }
            if let index = state.entries.firstIndex(where: { $0.componentID == id }) {
                state.entries[index].lastHeartbeat = Date()
            }
            return true
        }
        guard accepted else { return Self.unauthorized }
        return .ok(
            .object([
                "success": .bool(true), "timestamp": .double(Date().timeIntervalSince1970),
                "message": .string("Heartbeat received"),
            ]))
    }

    /// A token Hermes signed for `componentID` that has not expired: the fixed secret makes
    /// tokens from before a restart valid too.
    static func validates(_ token: String, for componentID: String, in state: State) -> Bool {
        guard let issued = state.issued[token], issued.componentID == componentID else { return false }
        return issued.expiresAt > Date()
    }

    func unregister(token: String?, componentID: String?) -> Answer {
        guard let token else { return Self.missingToken }
        guard let componentID else {
            return .status(422, .object(["detail": .string("component_id is required")]))
        }
        // The real Hermes answers 401 both for a bad token and for an id its registry no
        // longer holds (`unregister_component` returns False either way).
        let removed = state.withLock { state -> Bool in
            guard Self.validates(token, for: componentID, in: state),
                let index = state.entries.firstIndex(where: { $0.componentID == componentID })
            else { return false }
            state.entries.remove(at: index)
            return true
        }
        guard removed else { return Self.unauthorized }
        return .ok(.object(["success": .bool(true), "message": .string("Component \(componentID) unregistered")]))
    }

    func components(capability: String?) -> Answer {
        let records = entries.filter { capability == nil || $0.capabilities.contains(capability!) }.map(Self.record)
        return .ok(.object(["total": .integer(records.count), "components": .array(records)]))
    }

    /// The oldest entry with that name.
    func component(named name: String) -> Answer {
        guard let entry = entries.first(where: { $0.name == name }) else {
            return .status(404, .object(["detail": .string("Component \(name) not found")]))
        }
        return .ok(Self.record(entry))
    }

    func query(_ body: JSONValue) -> Answer {
        let object = body.objectValue ?? [:]
        let capability = object["capability"]?.stringValue
        let type = object["component_type"]?.stringValue
        let healthyOnly = object["healthy_only"]?.boolValue ?? false
        let results = entries.filter { entry in
            (capability == nil || entry.capabilities.contains(capability!)) && (type == nil || entry.type == type)
                && (!healthyOnly || entry.lastHeartbeat != nil)
        }.map { entry -> JSONValue in
            .object([
                "componentId": .string(entry.componentID), "name": .string(entry.name),
                "version": .string(entry.version), "type": .string(entry.type), "endpoint": .string(entry.endpoint),
                "capabilities": .array(entry.capabilities.map(JSONValue.string)), "metadata": entry.metadata,
                "healthy": .bool(entry.lastHeartbeat != nil),
                "lastHeartbeat": entry.lastHeartbeat.map { .double($0.timeIntervalSince1970) } ?? .null,
            ])
        }
        return .ok(.array(results))
    }

    /// `/api/components`' record shape: `type` and `port` always null.
    static func record(_ entry: Entry) -> JSONValue {
        .object([
            "component_id": .string(entry.componentID), "name": .string(entry.name), "version": .string(entry.version),
            "type": .null, "port": .null, "status": .string(entry.lastHeartbeat == nil ? "unknown" : "healthy"),
            "capabilities": .array(entry.capabilities.map(JSONValue.string)), "endpoint": .string(entry.endpoint),
            "last_heartbeat": entry.lastHeartbeat.map { .double($0.timeIntervalSince1970) } ?? .null,
            "registered_at": .double(entry.registeredAt.timeIntervalSince1970), "metadata": entry.metadata,
        ])
    }

    /// Opaque text that happens to be JSON, with quotes, an escaped quote, a backslash and
    /// runs of spaces: only a client that sends it back byte for byte stays authenticated.
    static func token(for id: String, issued: Date, expires: Date, generation: Int) -> String {
        let nonce = UUID().uuidString.lowercased()
        return #"{"component_id": "\#(id)",  "issued_at": \#(issued.timeIntervalSince1970), "expires_at": \#(expires.timeIntervalSince1970), "generation": \#(generation), "signature": "\#(nonce) \"signed\" a\\b"}"#
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

import Foundation
import HarmoniaCore
import Synchronization

/// The MCP tool registry of Tekton's Hermes (`hermes/api/mcp_endpoints.py` and
/// `core/mcp_service.py`), quirks included: `name`, `description` and `schema` are required
/// and a spec without one is a 400 "Tool registration failed" (not FastAPI's 422); the id
/// is the one given, else `tool-<uuid>`, and posting an id again overwrites its entry; the
/// list is a bare array with `null`s dropped; deleting an unknown id is 404 "Tool not
/// found"; everything lives in memory, so a restart forgets every tool.
extension HermesDouble {
    func registerTool(_ body: JSONValue) -> Answer {
        guard var spec = body.objectValue, ["name", "description", "schema"].allSatisfy({ spec[$0] != nil }) else {
            return .status(400, .object(["detail": .string("Tool registration failed")]))
        }
        let id = spec["id"]?.stringValue ?? "tool-\(UUID().uuidString.lowercased())"
        spec["id"] = .string(id)
        spec["registered_at"] = .double(Date().timeIntervalSince1970)
        let stored = JSONValue.object(spec)
        state.withLock { state in
            if let index = state.tools.firstIndex(where: { $0.id == id }) {
                state.tools[index].spec = stored
            } else {
                state.tools.append((id, stored))
            }
        }
        return .ok(.object(["success": .bool(true), "tool_id": .string(id), "message": .string("Tool registered successfully")]))
    }

    func listTools() -> Answer {
        let tools = state.withLock { $0.tools }
        return .ok(.array(tools.map { tool in
            .object((tool.spec.objectValue ?? [:]).filter { !$0.value.isNull })
        }))
    }

    func unregisterTool(id: String) -> Answer {
        let removed = state.withLock { state -> Bool in
            guard let index = state.tools.firstIndex(where: { $0.id == id }) else { return false }
            state.tools.remove(at: index)
            return true
        }
        return removed
            ? .ok(.object(["success": .bool(true), "message": .string("Tool unregistered successfully")]))
            : .status(404, .object(["detail": .string("Tool not found")]))
    }

    /// The tools registered now, as Hermes lists them.
    var tools: [JSONValue] { state.withLock { $0.tools.map(\.spec) } }
}

import HarmoniaCore
import HarmoniaEngine
import Testing

/// Calls `store_memory` on whatever adapter `registry` holds for engram and returns its
/// `result` (the Engram double answers with the id of the memory it stored, which names the
/// endpoint that served it). Shared by the discovery tests that check which endpoint won.
func storeMemory(_ registry: AdapterRegistry) async throws -> JSONValue {
    let adapter = try #require(registry.adapter(for: "engram"))
    let result = await adapter.invoke(
        Invocation(executionID: "e1", taskID: "t1", attempt: 1, action: "store_memory", input: ["content": "hello"]))
    guard case .success(let output) = result else {
        Issue.record("store_memory failed: \(result)")
        return .null
    }
    return output.objectValue?["result"] ?? .null
}

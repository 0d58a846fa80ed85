import HarmoniaCore

/// The live executions' machines by execution id, with the total of their ready tasks kept
/// as they change.
///
/// The engine reports the ready total after every batch; summing it over every machine made
/// each batch cost O(live executions) however little it touched. Every change of a machine
/// goes through the `_modify` accessor (in place, so a machine's task table is never
/// copied), which adds the change of that machine's ready count to the total.
struct MachineTable {
    private var storage: [String: ExecutionMachine] = [:]
    /// Ready but undispatched tasks over all machines (`ExecutionMachine.readyCount`).
    private(set) var readyTasks = 0

    var count: Int { storage.count }
    var keys: Dictionary<String, ExecutionMachine>.Keys { storage.keys }
    var isEmpty: Bool { storage.isEmpty }

    subscript(id: String) -> ExecutionMachine? {
        get { storage[id] }
        _modify {
            let before = storage[id]?.readyCount ?? 0
            defer { readyTasks += (storage[id]?.readyCount ?? 0) - before }
            yield &storage[id]
        }
    }

    @discardableResult
    mutating func removeValue(forKey id: String) -> ExecutionMachine? {
        let removed = storage.removeValue(forKey: id)
        readyTasks -= removed?.readyCount ?? 0
        return removed
    }

    /// Every machine with its id (read only).
    var all: Dictionary<String, ExecutionMachine> { storage }
}

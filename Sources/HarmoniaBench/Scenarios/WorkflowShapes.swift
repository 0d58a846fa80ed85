import HarmoniaClient

/// The workflow definitions the scenarios create, all with the built-in `harmonia`
/// component so that what is measured is the engine, not an outside service.
enum WorkflowShapes {
    static func noop(_ dependsOn: [String] = []) -> JSONValue {
        var task: [String: JSONValue] = ["component": "harmonia", "action": "noop"]
        if !dependsOn.isEmpty { task["depends_on"] = .array(dependsOn.map(JSONValue.string)) }
        return .object(task)
    }

    static func sleep(seconds: Double, dependsOn: [String] = []) -> JSONValue {
        var task: [String: JSONValue] = ["component": "harmonia", "action": "sleep", "input": ["seconds": .double(seconds)]]
        if !dependsOn.isEmpty { task["depends_on"] = .array(dependsOn.map(JSONValue.string)) }
        return .object(task)
    }

    static func workflow(_ name: String, tasks: [String: JSONValue]) -> JSONValue {
        ["name": .string(name), "tasks": .object(tasks)]
    }

    /// Ids `s001`, `s002`, ...: zero-padded so the server's key order is the chain's order.
    static func chainIDs(_ length: Int) -> [String] {
        let width = String(length).count
        return (1...length).map { n in
            let digits = String(n)
            return "s" + String(repeating: "0", count: width - digits.count) + digits
        }
    }

    /// `length` sequential `sleep` tasks of `sleepSeconds` each.
    static func chain(length: Int, sleepSeconds: Double) -> (definition: JSONValue, taskIDs: [String]) {
        let ids = chainIDs(length)
        var tasks: [String: JSONValue] = [:]
        for (index, id) in ids.enumerated() {
            tasks[id] = sleep(seconds: sleepSeconds, dependsOn: index == 0 ? [] : [ids[index - 1]])
        }
        return (workflow("bench-chain\(length)", tasks: tasks), ids)
    }

    /// `layers` layers of `width` noop tasks; task i of layer l depends on task i of layer
    /// l−1 (so each layer waits for the one before, task by task).
    static func fanout(width: Int, layers: Int) -> (definition: JSONValue, taskIDs: [String]) {
        var tasks: [String: JSONValue] = [:]
        var ids: [String] = []
        ids.reserveCapacity(width * layers)
        for layer in 0..<layers {
            for i in 0..<width {
                let id = "l\(layer)_\(i)"
                tasks[id] = noop(layer == 0 ? [] : ["l\(layer - 1)_\(i)"])
                ids.append(id)
            }
        }
        return (workflow("bench-fanout-\(width)x\(layers)", tasks: tasks), ids)
    }

    /// `root`, then `width` parallel noop tasks `p1`..., then `join` after all of them.
    static func fanin(width: Int) -> (definition: JSONValue, taskIDs: [String]) {
        var tasks: [String: JSONValue] = ["root": noop()]
        let middle = (1...width).map { "p\($0)" }
        for id in middle { tasks[id] = noop(["root"]) }
        tasks["join"] = noop(middle)
        return (workflow("bench-fanin-\(width)", tasks: tasks), ["root"] + middle + ["join"])
    }

    /// `count` layers of `width` noop tasks, each task depending on every task of the
    /// layer before.
    static func layers(count: Int, width: Int) -> (definition: JSONValue, taskIDs: [String]) {
        var tasks: [String: JSONValue] = [:]
        var ids: [String] = []
        var previous: [String] = []
        for layer in 0..<count {
            let current = (0..<width).map { "l\(layer)_\($0)" }
            for id in current { tasks[id] = noop(previous) }
            ids += current
            previous = current
        }
        return (workflow("bench-layers-\(count)x\(width)", tasks: tasks), ids)
    }

    /// `a` then `b`: the smallest workflow with a dependency.
    static func twoTasks() -> (definition: JSONValue, taskIDs: [String]) {
        (workflow("bench-two-tasks", tasks: ["a": noop(), "b": noop(["a"])]), ["a", "b"])
    }

    /// Ten noop tasks: `start`, eight parallel `mid1`...`mid8` after it, `join` after all
    /// eight (a fan-out and a fan-in, as real workflows have).
    static func tenTasks() -> (definition: JSONValue, taskIDs: [String]) {
        var tasks: [String: JSONValue] = ["start": noop()]
        let middle = (1...8).map { "mid\($0)" }
        for id in middle { tasks[id] = noop(["start"]) }
        tasks["join"] = noop(middle)
        return (workflow("bench-ten-tasks", tasks: tasks), ["start"] + middle + ["join"])
    }

    /// `hold` sleeps `seconds` (the task in flight at the kill), then `after` runs.
    static func recovery(sleepSeconds: Double) -> (definition: JSONValue, taskIDs: [String]) {
        (workflow("bench-recovery", tasks: ["hold": sleep(seconds: sleepSeconds), "after": noop(["hold"])]), ["hold", "after"])
    }

    /// One noop task: the warm-up before each scenario.
    static func warmUp() -> JSONValue {
        workflow("bench-warm-up", tasks: ["only": noop()])
    }
}

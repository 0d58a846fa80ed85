import Testing

@testable import HarmoniaCore

@Suite("WorkflowGraph")
struct WorkflowGraphTests {
    @Test("knows which task inputs hold expressions (values only, at any depth)")
    func detectsExpressions() {
        let graph = WorkflowGraph(
            definition: workflow([
                task("plain", input: ["a": "no dollar", "b": [1, "x"], "c": ["d": true]]),
                task("deep", input: ["a": ["b": ["${input.x}"]]], after: ["plain"]),
                task("embedded", input: ["text": "hello ${tasks.plain.output.y}!"], after: ["plain"]),
                task("dollarOnly", input: ["price": "$5 and {braces}"]),
                task("keyOnly", input: ["${not.resolved}": 1]),
            ]))
        #expect(graph.inputHasExpressions == [false, true, true, false, false])
    }
}

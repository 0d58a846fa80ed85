import HarmoniaCore
import Testing

/// Big graphs validate without deep recursion (speed is measured by benchmarks, not here;
/// the suite time limit only catches a hang).
@Suite(.timeLimit(.minutes(1)))
struct DefinitionScaleTests {
    typealias F = DefinitionFixtures

    @Test func aChainOfTenThousandTasks() throws {
        let n = DefinitionValidator.maxTasks
        let tasks = (0..<n).map { i in
            ("t\(i)", i == 0 ? [] : ["t\(i - 1)"], JSONValue.emptyObject)
        }
        let validated = try DefinitionValidator.validate(F.workflow(tasks))
        #expect(validated.tasks.count == n)
        #expect(DefinitionValidator.topologicalOrder(validated).last == "t\(n - 1)")
    }

    @Test func aChainOfTenThousandThatClosesIntoACycle() {
        let n = DefinitionValidator.maxTasks
        let tasks = (0..<n).map { i in ("t\(i)", ["t\((i + 1) % n)"], JSONValue.emptyObject) }
        let error = F.error { _ = try DefinitionValidator.validate(F.workflow(tasks)) }
        #expect(error?.code == .dependencyCycle)
        #expect(error?.message.hasPrefix("dependency cycle: t0 -> t1 -> ") == true)
        #expect(error?.message.hasSuffix("-> t9999 -> t0") == true)
        #expect(error?.message.contains("(9980 more)") == true)
    }

    @Test func aWideFanOutAndFanIn() throws {
        let width = DefinitionValidator.maxTasks - 2
        var tasks: [(String, [String], JSONValue)] = [("root", [], [:])]
        tasks += (0..<width).map { ("w\($0)", ["root"], ["v": "${tasks.root.output.result}"]) }
        tasks.append(("sink", (0..<width).map { "w\($0)" }, [:]))
        let validated = try DefinitionValidator.validate(F.workflow(tasks))
        #expect(validated.tasks[1].dependsOn == ["root"])
        let order = DefinitionValidator.topologicalOrder(validated)
        #expect(order.first == "root" && order.last == "sink" && order.count == width + 2)
    }

    @Test func aLargeDefinitionParsesFromJSONAndYAML() throws {
        let n = 2_000
        let json = "{\"name\": \"big\", \"tasks\": ["
            + (0..<n).map { i in
                "{\"name\": \"t\(i)\", \"component\": \"harmonia\", \"action\": \"echo\", \"input\": {\"i\": \(i)}"
                    + (i == 0 ? "}" : ", \"depends_on\": \"t\(i - 1)\"}")
            }.joined(separator: ",") + "]}"
        var yaml = "name: big\ntasks:\n"
        for i in 0..<n {
            yaml += "  - name: t\(i)\n    component: harmonia\n    action: echo\n    input: {i: \(i)}\n"
            if i > 0 { yaml += "    depends_on: t\(i - 1)\n" }
        }
        let fromJSON = try DefinitionParser.load(Array(json.utf8), id: "x")
        let fromYAML = try DefinitionParser.load(Array(yaml.utf8), id: "x")
        #expect(fromJSON.tasks == fromYAML.tasks)
        #expect(fromYAML.tasks.count == n)
    }
}

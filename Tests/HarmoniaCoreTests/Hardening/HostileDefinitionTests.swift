import Foundation
import Testing

@testable import HarmoniaCore

/// The hostile definitions of the hardening issue (items 1, 3 and 5): each is refused with a
/// problem naming its path, none reaches the engine.
struct HostileDefinitionTests {
    private func task(_ extra: String) -> String {
        #"{"name": "w", "tasks": {"a": {"component": "harmonia", "action": "noop"\#(extra)}}}"#
    }

    @Test func checkpointIntervalBeyondAYearIsRefused() {
        let error = DefinitionFixtures.error { _ = try DefinitionFixtures.load(#"{"name": "w", "checkpoint_interval": 1e21, "tasks": {"a": {"component": "harmonia", "action": "noop"}}}"#) }
        #expect(DefinitionFixtures.has(error, .invalidDefinition, at: "checkpoint_interval"))
        #expect(WorkflowDefinition.isValidCheckpointInterval(DurationLimit.maximumSeconds))
        #expect(!WorkflowDefinition.isValidCheckpointInterval(DurationLimit.maximumSeconds + 1))
    }

    @Test(arguments: [
        (#", "timeout": 1e21"#, "tasks.a.timeout", HarmoniaError.Code.invalidDefinition),
        (#", "retry_policy": {"initial_delay": 1e21}"#, "tasks.a.retry_policy.initial_delay", .invalidRetryPolicy),
        (#", "retry_policy": {"max_delay": 1e21}"#, "tasks.a.retry_policy.max_delay", .invalidRetryPolicy),
    ])
    func taskDurationsBeyondAYearAreRefused(extra: String, path: String, code: HarmoniaError.Code) {
        let error = DefinitionFixtures.error { _ = try DefinitionFixtures.load(task(extra)) }
        #expect(DefinitionFixtures.has(error, code, at: path), "\(String(describing: error))")
    }

    @Test func workflowTimeoutBeyondAYearIsRefusedButAYearIsFine() throws {
        let error = DefinitionFixtures.error { _ = try DefinitionFixtures.load(#"{"name": "w", "timeout": 1e21, "tasks": {"a": {"component": "harmonia", "action": "noop"}}}"#) }
        #expect(DefinitionFixtures.has(error, .invalidDefinition, at: "timeout"))
        let year = try DefinitionFixtures.load(#"{"name": "w", "timeout": 31536000, "tasks": {"a": {"component": "harmonia", "action": "noop"}}}"#)
        #expect(year.timeout == DurationLimit.maximumSeconds)
    }

    @Test func numbersBeyondDoubleAreInvalidJSONNotNullOrA500() {
        for text in [#"{"timeout": 1e400}"#, #"{"input": {"x": -1e400}}"#, "[1E999]"] {
            let error = DefinitionFixtures.error { _ = try JSONValue.parse(Array(text.utf8)) }
            #expect(error?.code == .invalidJSON)
            #expect(error?.message.contains("out of range") == true, "\(String(describing: error))")
        }
    }

    @Test func aNonFiniteNumberBuiltInCodeIsNamedAsSuch() {
        var problems = ProblemList()
        let object = LenientObject(["timeout": .double(.infinity)], path: "")
        #expect(object.number("timeout", problems: &problems) == nil)
        #expect(problems.problems.first?.message.contains("finite number") == true)
    }

    @Test func storedDurationsBeyondTheLimitAreClampedForTheEngine() throws {
        var definition = WorkflowDefinition(
            name: "w", tasks: [TaskDefinition(id: "a", component: "harmonia", action: "noop", input: .emptyObject)],
            timeout: 1e21, checkpointInterval: 1e30,
            retryPolicy: RetryPolicy(initialDelay: 1e21, maxDelay: .infinity))
        definition.tasks[0].timeout = 1e21
        let clamped = try #require(definition.clampedToDurationLimits())
        #expect(clamped.timeout == DurationLimit.maximumSeconds)
        #expect(clamped.checkpointInterval == DurationLimit.maximumSeconds)
        #expect(clamped.tasks[0].timeout == DurationLimit.maximumSeconds)
        #expect(clamped.retryPolicy?.initialDelay == DurationLimit.maximumSeconds)
        #expect(clamped.retryPolicy?.maxDelay == DurationLimit.maximumSeconds)
        #expect(clamped.clampedToDurationLimits() == nil)
    }

    @Test(arguments: ["a/b/c", "../x", "  ", ".hidden", String(repeating: "x", count: 129), "ä"])
    func workflowIDsThatNoPathCanNameAreRefused(id: String) {
        let body = #"{"id": "\#(id)", "name": "w", "tasks": {"a": {"component": "harmonia", "action": "noop"}}}"#
        let error = DefinitionFixtures.error { _ = try DefinitionFixtures.load(body) }
        #expect(DefinitionFixtures.has(error, .invalidDefinition, at: "id"))
    }

    @Test func ordinaryWorkflowIDsAreAccepted() throws {
        for id in ["my-flow", "flow_2", "team:flow.v1", UUID().uuidString.lowercased()] {
            #expect(WorkflowID.isValid(id), "\(id)")
        }
    }

    @Test func yamlAliasesCannotExpandPastTheByteLimit() {
        // 1 KiB string, nine levels of ten aliases each would be far more than 1 MiB.
        var yaml = "a0: &a0 \"\(String(repeating: "x", count: 1024))\"\n"
        for level in 1...4 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            yaml += "a\(level): &a\(level) [\(refs)]\n"
        }
        let error = DefinitionFixtures.error {
            _ = try DefinitionParser.parse(Array(yaml.utf8), format: .yaml, maxExpandedBytes: 1 << 20)
        }
        #expect(error?.code == .payloadTooLarge)
        #expect(yaml.utf8.count < 2048)
    }

    @Test func backtrackingPatternsAreCutOffNotRunForSeconds() throws {
        let schema: JSONValue = ["type": "object", "properties": ["s": ["type": "string", "pattern": "^(a+)+$"]]]
        let hostile: JSONValue = ["s": .string(String(repeating: "a", count: 40) + "!")]
        let started = ContinuousClock.now
        let error = DefinitionFixtures.error { try InputValidator.validate(hostile, against: schema) }
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("ms") == true || error?.problems.first?.message.contains("ms") == true)
        // An ordinary match still works.
        try InputValidator.validate(["s": "aaaa"], against: schema)
    }
}

import Foundation
import Testing

@testable import HarmoniaCore

/// A template's placeholders cannot multiply a parameter value past the size limit: the
/// 100 KB value in 2,000 placeholders that made a 191 MiB workflow is refused up front.
struct TemplateExpansionLimitTests {
    private func repeating(_ count: Int) -> WorkflowTemplate {
        let placeholders = Array(repeating: JSONValue.string("${params.blob}"), count: count)
        return WorkflowTemplate(
            name: "amplifier",
            definition: [
                "name": "amplified",
                "tasks": ["a": ["component": "harmonia", "action": "echo", "input": ["copies": .array(placeholders)]]],
            ],
            parameters: ["blob": TemplateParameter(type: .string, required: true)])
    }

    @Test func placeholdersRepeatingABigValueAre413BeforeAnythingIsBuilt() {
        let blob = JSONValue.string(String(repeating: "x", count: 100_000))
        let started = ContinuousClock.now
        let error = TemplateFixtures.error {
            _ = try TemplateInstantiator.instantiate(repeating(2_000), values: ["blob": blob], maxBytes: 1 << 20)
        }
        #expect(error?.code == .payloadTooLarge)
        #expect(error?.path == "parameter_values")
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    @Test func theSameTemplateWithASmallValueInstantiates() throws {
        let workflow = try TemplateInstantiator.instantiate(repeating(2_000), values: ["blob": "hi"], maxBytes: 1 << 20)
        #expect(workflow.tasks.first?.input["copies"]?.arrayValue?.count == 2_000)
    }

    @Test func encodedSizeStopsCountingPastTheLimit() {
        let big = JSONValue.array(Array(repeating: .string(String(repeating: "y", count: 1000)), count: 10_000))
        let counted = big.encodedSize(upTo: 5_000)
        #expect(counted > 5_000 && counted < 7_000)
        #expect(!JSONValue.object(["a": 1, "b": "c"]).exceedsEncodedSize(100))
    }
}

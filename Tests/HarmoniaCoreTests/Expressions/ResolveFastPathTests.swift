import Testing

@testable import HarmoniaCore

/// The one-pass resolver used at dispatch must agree exactly with parse-then-render, which
/// conditions use: same value, or same error code and message.
struct ResolveFastPathTests {
    typealias F = ExpressionFixtures

    static let samples = [
        "plain", "", "$", "${input.count}", "${input.ratio}", "${input.user}", "${input.nothing}",
        "${input}", "${input.items[1].name}", "${input.items[01]}", "${ input.count }", "${input['name']}",
        #"${input["key with spaces"]}"#, "${tasks.fetch}", "${tasks.fetch.output}", "${tasks.fetch.output.output}",
        "${tasks.fetch.items[0]}", "${tasks.fetch.output.items[1]}", "${tasks.check-1.score}", "${tasks[\"fetch\"].status}",
        "${env.REGION}", "${workflow.version}", "${execution.metadata.owner}",
        "a ${input.name} b ${input.count} c ${input.flag} d ${input.nothing} e ${input.user.tags}",
        "${input.name}${input.name}", "$${input.name} ${input.name}", "$$${input.name}", "x $${y",
        // Failures: each must surface the full parser's message.
        "${input.missing}", "${input.items[2]}", "${input.items.0}", "${input.name.x}", "${input.name[0]}",
        "${tasks.nope.x}", "${tasks.fetch.output.nope}", "${env.HOME}", "${env.REGION.x}", "${env}",
        "${input.}", "${input", "${nope.x}", "${tasks}", "${input[99999999999999999]}", "ok ${input.missing} ok",
        "${input.items[-1]}", "${input.items[0}",
    ]

    @Test(arguments: samples)
    func fastPathMatchesParseAndRender(text: String) throws {
        let fast = Result { try StringTemplate.resolve(text, in: F.context) ?? .string(text) }
        let slow = Result { try StringTemplate.parse(text, path: nil)?.render(in: F.context) ?? .string(text) }
        switch (fast, slow) {
        case (.success(let a), .success(let b)):
            #expect(a == b)
        case (.failure(let a as HarmoniaError), .failure(let b as HarmoniaError)):
            #expect(a.code == b.code)
            #expect(a.message == b.message)
        default:
            Issue.record("fast \(fast) differs from slow \(slow)")
        }
    }
}

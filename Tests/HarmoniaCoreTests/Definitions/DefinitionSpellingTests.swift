import HarmoniaCore
import Testing

/// A member given in both spellings is refused, not half ignored: only the snake_case one
/// would be read, and the OpenAPI contract test found a camelCase twin that broke the
/// schema's rules accepted that way.
struct DefinitionSpellingTests {
    typealias F = DefinitionFixtures

    @Test func bothSpellingsAreRefusedWhereverTheyAppear() {
        let error = F.error {
            _ = try F.decode(
                """
                {"name": "w", "fail_fast": true, "failFast": false,
                 "tasks": {"t": {"component": "c", "action": "x", "depends_on": [], "dependsOn": [],
                   "retry_policy": {"retry_on": ["timeout"], "retryOn": [""]}}}}
                """)
        }
        #expect(F.has(error, .invalidDefinition, at: "failFast"))
        #expect(F.has(error, .invalidDefinition, at: "tasks.t.dependsOn"))
        #expect(F.has(error, .invalidRetryPolicy, at: "tasks.t.retry_policy.retryOn"))
    }

    @Test func oneSpellingOrANullTwinIsFine() throws {
        let definition = try F.decode(
            #"{"name": "w", "failFast": true, "fail_fast": null, "tasks": {"t": {"component": "c", "action": "x"}}}"#)
        #expect(definition.failFast)
    }
}

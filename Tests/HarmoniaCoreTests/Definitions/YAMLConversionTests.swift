import HarmoniaCore
import Testing

struct YAMLConversionTests {
    private func yaml(_ text: String) throws -> JSONValue {
        try DefinitionParser.parse(Array(text.utf8), format: .yaml)
    }

    @Test func scalarsKeepTheirJSONTypes() throws {
        let value = try yaml(
            """
            int: 42
            negative: -7
            hex: 0x1F
            float: 2.5
            exponent: 1e3
            yes_bool: true
            no_bool: False
            nothing: null
            tilde: ~
            empty:
            quoted_int: "42"
            text: hello
            """)
        #expect(value == [
            "int": 42, "negative": -7, "hex": 31, "float": 2.5, "exponent": 1000.0, "yes_bool": true,
            "no_bool": false, "nothing": nil, "tilde": nil, "empty": nil, "quoted_int": "42", "text": "hello",
        ])
        #expect(value["exponent"] == .double(1000))
        #expect(value["int"] == .integer(42))
    }

    @Test func yaml11SurprisesStayStrings() throws {
        let value = try yaml("country: NO\nswitch: on\nanswer: yes\ntime: 12:30\nday: 2024-01-01\n")
        #expect(value == ["country": "NO", "switch": "on", "answer": "yes", "time": "12:30", "day": "2024-01-01"])
    }

    @Test func sequencesMappingsAndBlockText() throws {
        let value = try yaml(
            """
            list: [1, "two", {three: 3}]
            script: |
              echo hi
              echo there
            last: 1
            """)
        #expect(value["list"] == [1, "two", ["three": 3]])
        #expect(value["script"] == "echo hi\necho there\n")
    }

    @Test func anchorsAliasesAndMergeKeys() throws {
        let value = try yaml(
            """
            defaults: &d {component: ergon, action: run, timeout: 5}
            a:
              <<: *d
              timeout: 10
            b: *d
            """)
        #expect(value["a"] == ["component": "ergon", "action": "run", "timeout": 10])
        #expect(value["b"] == ["component": "ergon", "action": "run", "timeout": 5])
    }

    @Test func nonStringKeysAreRefusedByName() {
        let error = DefinitionFixtures.error { _ = try yaml("tasks:\n  1: {component: c}\n") }
        #expect(error?.code == .invalidJSON)
        #expect(error?.message.contains("YAML") == true)
        #expect(error?.message.contains("'1'") == true)
        #expect(error?.message.contains("line 2") == true)
    }

    @Test func syntaxErrorsSayYAMLAndTheLine() {
        let error = DefinitionFixtures.error { _ = try yaml("name: w\ntasks: [a, b\nother: 1\n") }
        #expect(error?.code == .invalidJSON)
        #expect(error?.message.contains("YAML") == true)
        #expect(error?.message.contains("line ") == true)
    }

    @Test func duplicateKeysAreRefused() {
        let error = DefinitionFixtures.error { _ = try yaml("a: 1\na: 2\n") }
        #expect(error?.message.contains("duplicate") == true)
    }

    @Test func infinityHasNoJSONForm() {
        let error = DefinitionFixtures.error { _ = try yaml("x: .inf\n") }
        #expect(error?.code == .invalidJSON)
    }

    @Test func emptyDocumentsAndBadUTF8() {
        #expect(DefinitionFixtures.error { _ = try yaml("# only a comment\n") }?.code == .invalidJSON)
        let error = DefinitionFixtures.error { _ = try DefinitionParser.parse([0x61, 0x3A, 0x20, 0xFF], format: .yaml) }
        #expect(error?.message.contains("UTF-8") == true)
    }

    @Test func aliasBombsAreStopped() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in 1...7 {
            let refs = Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ")
            lines.append("a\(i): &a\(i) [\(refs)]")
        }
        let error = DefinitionFixtures.error { _ = try yaml(lines.joined(separator: "\n")) }
        #expect(error?.message.contains("aliases") == true)
    }

    @Test func autoDetectsTheFormat() throws {
        #expect(try DefinitionParser.parse(Array("  \n {\"a\": 1}".utf8)) == ["a": 1])
        #expect(try DefinitionParser.parse(Array("a: 1".utf8)) == ["a": 1])
        // Forced JSON refuses YAML.
        #expect(DefinitionFixtures.error { _ = try DefinitionParser.parse(Array("a: 1".utf8), format: .json) }?.code == .invalidJSON)
    }

    @Test func yamlAndJSONDefinitionsDecodeAlike() throws {
        let fromYAML = try DefinitionFixtures.decode(
            """
            name: w
            retryPolicy: {maxRetries: 2}
            tasks:
              - name: fetch
                component: ergon
                action: execute_command
                input: {command: [ls, -l], count: 3}
              - name: report
                component: harmonia
                action: echo
                depends_on: fetch
            """, id: "x")
        var fromJSON = try DefinitionFixtures.decode(
            """
            {"name": "w", "retry_policy": {"max_retries": 2}, "tasks": [
              {"name": "fetch", "component": "ergon", "action": "execute_command", "input": {"command": ["ls", "-l"], "count": 3}},
              {"name": "report", "component": "harmonia", "action": "echo", "depends_on": ["fetch"]}]}
            """, id: "x")
        fromJSON.createdAt = fromYAML.createdAt
        fromJSON.updatedAt = fromYAML.updatedAt
        #expect(fromYAML == fromJSON)
    }
}

import ArgumentParser
import HarmoniaClient
import Testing

@testable import harmonia

/// `--input k=v` typing and `--input-json` merging, without a server.
struct InputParsingTests {
    @Test("values that are valid JSON keep their JSON type; anything else is a string")
    func typedValues() throws {
        #expect(InputParsing.typedValue("3") == .integer(3))
        #expect(InputParsing.typedValue("2.5") == .double(2.5))
        #expect(InputParsing.typedValue("true") == .bool(true))
        #expect(InputParsing.typedValue("null") == .null)
        #expect(InputParsing.typedValue(#"{"a":[1]}"#) == ["a": [1]])
        #expect(InputParsing.typedValue(#""01234""#) == "01234")
        #expect(InputParsing.typedValue("world") == "world")
        #expect(InputParsing.typedValue("") == "")
        #expect(InputParsing.typedValue("a=b") == "a=b")
    }

    @Test("pairs split at the first '=' and override --input-json")
    func pairsOverrideJSON() throws {
        let input = try InputParsing.buildInput(
            json: #"{"name": "x", "count": 1}"#, pairs: ["name=Ada", "expr=a=b", "count=2"])
        #expect(input == ["name": "Ada", "expr": "a=b", "count": 2])
    }

    @Test("a pair without '=' or with an empty key, and non-object JSON, are errors")
    func badInput() {
        #expect(throws: CLIError.self) { try InputParsing.parsePair("novalue") }
        #expect(throws: CLIError.self) { try InputParsing.parsePair("=v") }
        #expect(throws: CLIError.self) { try InputParsing.buildInput(json: "[1]", pairs: []) }
        #expect(throws: CLIError.self) { try InputParsing.buildInput(json: "{", pairs: []) }
    }

    @Test("the server URL comes from --url, then HARMONIA_URL, then HARMONIA_PORT, then 8007")
    func urlResolution() throws {
        let none = try ClientOptions.parse([])
        #expect(none.resolvedURL(environment: [:]) == "http://127.0.0.1:8007")
        #expect(none.resolvedURL(environment: ["HARMONIA_PORT": "9100"]) == "http://127.0.0.1:9100")
        #expect(
            none.resolvedURL(environment: ["HARMONIA_URL": "http://h:1", "HARMONIA_PORT": "9100"]) == "http://h:1")
        let flag = try ClientOptions.parse(["--url", "http://x:2"])
        #expect(flag.resolvedURL(environment: ["HARMONIA_URL": "http://h:1"]) == "http://x:2")
        #expect(none.resolvedAPIKey(environment: ["HARMONIA_API_KEYS": " k1 ,k2"]) == "k1")
        #expect(none.resolvedAPIKey(environment: ["HARMONIA_API_KEY": "a", "HARMONIA_API_KEYS": "b"]) == "a")
        #expect(none.resolvedAPIKey(environment: [:]) == nil)
    }
}

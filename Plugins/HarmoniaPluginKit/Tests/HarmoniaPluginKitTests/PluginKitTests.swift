import HarmoniaPluginKit
import Testing

@Suite(.timeLimit(.minutes(1)))
struct PluginJSONTests {
    @Test func roundTripKeepsIntegersAndSortsKeys() throws {
        let value = try PluginJSON.parse(#"{"b": [1, 2.5, "x\n", null, true], "a": {"c": -3}}"#)
        #expect(value["b"]?[0] == .integer(1))
        #expect(value["b"]?[1] == .double(2.5))
        #expect(value.jsonString() == #"{"a":{"c":-3},"b":[1,2.5,"x\n",null,true]}"#)
        #expect(try PluginJSON.parse(value.jsonBytes()) == value)
    }

    @Test func malformedJSONNamesThePlace() {
        #expect(throws: PluginJSONError.self) { try PluginJSON.parse("{\"a\": }") }
        #expect(throws: PluginJSONError.self) { try PluginJSON.parse("") }
    }

    @Test func configurationReadsTheABIObject() throws {
        let configuration = AdapterConfiguration(
            json: try PluginJSON.parse(#"{"component": "ergon", "endpoint": "http://h:1", "timeout": 5, "options": {"x": 1}}"#))
        #expect(configuration == AdapterConfiguration(component: "ergon", endpoint: "http://h:1", timeout: 5, options: ["x": 1]))
        #expect(AdapterConfiguration(json: configuration.json) == configuration)
    }
}

@Suite(.timeLimit(.minutes(1)))
struct HTTPNormalisationTests {
    func error(_ status: Int, _ body: String = "") -> AdapterError? {
        AdapterError.normalizing(HostHTTPResponse(status: status, body: Array(body.utf8)), component: "ergon", action: "run")
    }

    @Test func successIsNoError() {
        #expect(error(200) == nil)
        #expect(error(204) == nil)
    }

    @Test(arguments: [429, 502, 503, 504])
    func retryableStatuses(status: Int) throws {
        let failure = try #require(error(status))
        #expect(failure.retryable)
        #expect(failure.httpStatus == status)
    }

    @Test(arguments: [400, 404, 422, 500])
    func finalStatuses(status: Int) throws {
        #expect(try #require(error(status)).retryable == false)
    }

    @Test func notFoundRouteIsRouteUnavailable() throws {
        #expect(try #require(error(404, #"{"detail": "Not Found"}"#)).code == "route_unavailable")
        #expect(try #require(error(404, #"{"detail": "Agent not found"}"#)).code == "not_found")
        #expect(try #require(error(503, #"{"detail": "Rhetor not initialized"}"#)).message.contains("Rhetor not initialized"))
    }

    @Test func transportErrorsAreRetryable() {
        let refused = AdapterError.normalizing(HostHTTPError(kind: .connectFailed, message: "refused"), component: "ergon", action: "run")
        #expect(refused.code == "component_unreachable")
        #expect(refused.retryable)
        #expect(AdapterError.normalizing(HostHTTPError(kind: .timeout, message: ""), component: "e", action: "a").retryable)
    }
}

import Foundation
@testable import HarmoniaAPIModels
import HarmoniaCore
import Testing

struct APICodingTests {
    @Test func timestampsAreUTCWithMilliseconds() {
        let date = Date(timeIntervalSince1970: 1_700_000_000.1236)
        #expect(APICoding.formatTimestamp(date) == "2023-11-14T22:13:20.124Z")
        #expect(APICoding.formatTimestamp(Date(timeIntervalSince1970: 1_700_000_000.9996)) == "2023-11-14T22:13:21.000Z")
        #expect(APICoding.formatTimestamp(Date(timeIntervalSince1970: 1_700_000_000.007)) == "2023-11-14T22:13:20.007Z")
        #expect(APICoding.formatTimestamp(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
    }

    @Test("the day-count formatter writes what Foundation's ISO-8601 style writes")
    func fastTimestampsMatchFoundation() {
        var generator = SystemRandomNumberGenerator()
        // Edges: the epoch, leap days, century rules (1900 not leap, 2000 leap), the ends of
        // the fast path's years (1583, 9999) and the calendar reform before them (1582),
        // rounding up into the next day and year.
        var instants: [Double] = [
            0, -0.0004, -0.0005, 951_782_400, 951_868_799.9996, -2_203_891_200, 68_256_000, 4_107_542_399.999,
            1_709_164_800, 253_402_300_799.999, 253_402_300_799.9996, -30_610_224_000, -30_610_224_000.001,
            1_700_000_000.1236, -1_000_000_000.5, -12_244_089_600, -12_244_089_600.001, -12_219_292_800,
        ]
        for _ in 0..<5000 { instants.append(Double.random(in: -31_000_000_000...253_402_400_000, using: &generator)) }
        for seconds in instants {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(APICoding.formatTimestamp(date) == APICoding.foundationTimestamp(date), "at \(seconds)")
        }
    }

    @Test func timestampsParseWithOrWithoutFraction() throws {
        let fractional = try #require(APICoding.parseTimestamp("2023-11-14T22:13:20.124Z"))
        #expect(abs(fractional.timeIntervalSince1970 - 1_700_000_000.124) < 0.0005)
        let whole = try #require(APICoding.parseTimestamp("2023-11-14T22:13:20Z"))
        #expect(whole.timeIntervalSince1970 == 1_700_000_000)
        #expect(APICoding.parseTimestamp("yesterday") == nil)
        // Formatting what was parsed gives the same text back.
        #expect(APICoding.formatTimestamp(fractional) == "2023-11-14T22:13:20.124Z")
    }

    @Test func executionViewsRoundTrip() throws {
        let definition = WorkflowDefinition(
            name: "w", tasks: [TaskDefinition(id: "a", component: "harmonia", action: "noop")])
        var record = ExecutionRecord(
            workflowID: definition.id, workflowVersion: 1, workflowName: "w", input: ["x": 1], idempotencyKey: "k")
        record.createdAt = Date(timeIntervalSince1970: 1_700_000_000.5)
        record.updatedAt = record.createdAt
        let state = ExecutionState(record: record, definition: definition)
        let detail = ExecutionDetail(state, definition: definition)
        let encoded = try APICoding.makeEncoder().encode(APISuccess(message: "ok", data: detail))
        let json = try JSONValue.parse(Array(encoded))
        #expect(json["data"]?["execution"]?["execution_id"]?.stringValue == record.id)
        #expect(json["data"]?["execution"]?["created_at"] == "2023-11-14T22:13:20.500Z")
        #expect(json["data"]?["workflow_definition"]?["workflow_id"]?.stringValue == definition.id)
        #expect(json["data"]?["summary"]?["pending"] == 1)
        let decoded = try APICoding.makeDecoder().decode(APISuccess<ExecutionDetail>.self, from: encoded)
        #expect(decoded.data.execution.record.id == record.id)
        #expect(decoded.data.execution.tasks?["a"]?.status == .pending)
        #expect(decoded.data.workflowDefinition?.definition.tasks.map(\.id) == ["a"])
    }

    @Test func requestsAcceptSnakeAndCamelCase() throws {
        let decoder = APICoding.makeDecoder()
        for body in [
            #"{"workflow_id":"w","workflow_version":2,"idempotency_key":"k","input":{"a":1},"metadata":{"m":true}}"#,
            #"{"workflowId":"w","workflowVersion":2,"idempotencyKey":"k","input":{"a":1},"metadata":{"m":true}}"#,
            #"{"workflowID":"w","workflowVersion":2,"idempotencyKey":"k","input":{"a":1},"metadata":{"m":true}}"#,
        ] {
            let request = try decoder.decode(CreateExecutionRequest.self, from: Data(body.utf8))
            #expect(request == CreateExecutionRequest(
                workflowID: "w", workflowVersion: 2, input: ["a": 1], metadata: ["m": true], idempotencyKey: "k"))
        }
        let encoded = try APICoding.makeEncoder().encode(CreateExecutionRequest(workflowID: "w", idempotencyKey: "k"))
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"idempotency_key":"k","input":{},"metadata":{},"workflow_id":"w"}"#)
        #expect(throws: HarmoniaError.self) { try CreateExecutionRequest(json: ["input": "text"]) }
        #expect(throws: HarmoniaError.self) { try CreateExecutionRequest(json: ["metadata": [1]]) }
    }

    @Test func errorBodiesCarryPathAndProblems() throws {
        let error = HarmoniaError(
            .dependencyCycle, "cycle a -> b -> a", path: "tasks.a.depends_on",
            problems: [.init(code: "dependency_cycle", message: "cycle a -> b -> a", path: "tasks.a.depends_on")])
        let body = APIErrorBody(error)
        let json = try JSONValue.parse(Array(APICoding.makeEncoder().encode(body)))
        #expect(json["code"] == "dependency_cycle")
        #expect(json["detail"] == "cycle a -> b -> a")
        #expect(json["path"] == "tasks.a.depends_on")
        #expect(json["problems"]?.arrayValue?.count == 1)
        #expect(body.harmoniaError == error)
        let plain = try JSONValue.parse(Array(APICoding.makeEncoder().encode(APIErrorBody(HarmoniaError(.notFound, "gone")))))
        #expect(plain == ["code": "not_found", "detail": "gone"])
    }
}

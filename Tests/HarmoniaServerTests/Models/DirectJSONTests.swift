import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import Testing

/// The directly built acknowledgement must say exactly what the encoder says.
struct DirectJSONTests {
    static func record(full: Bool) -> ExecutionRecord {
        var record = ExecutionRecord(
            workflowID: "wf/1", workflowVersion: 3, workflowName: "naïve \"name\"", status: .running,
            input: ["n": 1.5, "s": "a/b", "list": [1, "x", nil, true], "nested": ["e": "é\n"]],
            metadata: ["owner": "ops", "weight": 2])
        record.createdAt = Date(timeIntervalSince1970: 1_700_000_000.1236)
        record.updatedAt = Date(timeIntervalSince1970: 1_700_000_001)
        record.lastSeq = 42
        if full {
            record.idempotencyKey = "key-1"
            record.error = TaskFailure(code: "boom", message: "it broke", retryable: false, details: ["status": 502])
            record.startedAt = Date(timeIntervalSince1970: 1_700_000_000.5)
            record.finishedAt = Date(timeIntervalSince1970: 1_700_000_002.25)
            record.deadline = Date(timeIntervalSince1970: 1_700_003_600)
            record.restoredFrom = "older-execution"
        }
        return record
    }

    @Test("a start's acknowledgement built directly equals the encoder's", arguments: [false, true])
    func acknowledgementMatchesEncoder(full: Bool) throws {
        let body = APISuccess(message: "execution started", data: ExecutionStatusView(ExecutionView(record: Self.record(full: full))))
        let direct = try #require(body.directJSON)
        let encoded = try JSONValue.parse(Array(APICoding.encoder.encode(body)))
        #expect(direct == encoded)
        // The direct bytes parse back to the same value.
        #expect(try JSONValue.parse(direct.jsonBytes()) == encoded)
    }

    @Test("a detailed view (with tasks) is left to the encoder")
    func detailedViewsUseTheEncoder() {
        let view = ExecutionView(record: Self.record(full: false), tasks: ["a": TaskState(taskID: "a")])
        #expect(view.directJSON == nil)
        #expect(APISuccess(message: "m", data: ExecutionStatusView(view)).directJSON == nil)
    }
}

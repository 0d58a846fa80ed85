import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import Hummingbird
import HummingbirdTesting
import Testing

extension TestClientProtocol {
    /// Sends `json` and returns the response.
    func send(_ method: HTTPRequest.Method, _ uri: String, json: JSONValue? = nil) async throws -> TestResponse {
        var headers = HTTPFields()
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: json.jsonBytes())
            headers[.contentType] = "application/json"
        }
        return try await executeRequest(uri: uri, method: method, headers: headers, body: body)
    }

    /// Sends and decodes the success envelope's data, expecting `status`.
    func data<Payload: Codable & Sendable>(
        _ type: Payload.Type, _ method: HTTPRequest.Method, _ uri: String, json: JSONValue? = nil,
        expect status: HTTPResponse.Status = .ok, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Payload {
        let response = try await send(method, uri, json: json)
        #expect(response.status == status, "\(method) \(uri): \(response.text)", sourceLocation: sourceLocation)
        let envelope = try APICoding.makeDecoder().decode(APISuccess<Payload>.self, from: Data(response.body.readableBytesView))
        #expect(envelope.status == "success", sourceLocation: sourceLocation)
        return envelope.data
    }

    /// Polls `GET /executions/{id}` every 20 ms until `condition` holds (by default: the
    /// execution finished), failing the test after `timeout`. Polling, never a guessed sleep.
    @discardableResult
    func waitForExecution(
        _ id: String, timeout: Duration = .seconds(40),
        until condition: @Sendable (ExecutionDetail) -> Bool = { $0.execution.status.isTerminal },
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ExecutionDetail {
        let deadline = ContinuousClock.now + timeout
        while true {
            let detail = try await data(ExecutionDetail.self, .get, "/api/v1/executions/\(id)")
            if condition(detail) { return detail }
            if ContinuousClock.now >= deadline {
                Issue.record("execution \(id) did not reach the expected state in time: \(detail.execution.status)", sourceLocation: sourceLocation)
                return detail
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

extension TestResponse {
    /// The body as text, for failure messages.
    var text: String { String(buffer: body) }

    /// Decodes an error body and checks its status and code.
    @discardableResult
    func expectError(
        _ status: HTTPResponse.Status, code: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> APIErrorBody {
        #expect(self.status == status, "\(text)", sourceLocation: sourceLocation)
        let error = try APICoding.makeDecoder().decode(APIErrorBody.self, from: Data(body.readableBytesView))
        #expect(error.code == code, "\(text)", sourceLocation: sourceLocation)
        return error
    }
}

/// A five-task chain t1 → ... → t5 of `counted.step` tasks, as a client sends it.
func countedChainJSON(_ length: Int = 5) -> JSONValue {
    .object([
        "name": "counted chain",
        "tasks": .array((1...length).map { i in
            var task: [String: JSONValue] = ["name": .string("t\(i)"), "component": "counted", "action": "step"]
            if i > 1 { task["depends_on"] = [.string("t\(i - 1)")] }
            return .object(task)
        }),
    ])
}

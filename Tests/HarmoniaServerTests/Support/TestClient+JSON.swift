import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import Hummingbird
import HummingbirdTesting
import Testing

extension TestClientProtocol {
    /// Sends `json` (or raw `text`) and returns the response.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, json: JSONValue? = nil, text: String? = nil,
        bytes: [UInt8]? = nil, contentType: String? = nil, headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = headers
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: json.jsonBytes())
            headers[.contentType] = contentType ?? "application/json"
        } else if let text {
            body = ByteBuffer(string: text)
            if let contentType { headers[.contentType] = contentType }
        } else if let bytes {
            body = ByteBuffer(bytes: bytes)
            if let contentType { headers[.contentType] = contentType }
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

    /// Creates a workflow from a JSON definition and returns it.
    func createWorkflow(_ definition: JSONValue, prefix: String = "/api/v1") async throws -> WorkflowDefinition {
        try await data(WorkflowView.self, .post, "\(prefix)/workflows", json: definition, expect: .created).definition
    }

    /// Starts an execution and returns its id.
    func startExecution(
        _ workflowID: String, input: JSONValue = .emptyObject, prefix: String = "/api/v1"
    ) async throws -> String {
        let started = try await data(
            ExecutionStatusView.self, .post, "\(prefix)/executions",
            json: ["workflow_id": .string(workflowID), "input": input], expect: .created)
        return started.executionID
    }

    /// Polls `GET /executions/{id}` every 20 ms until the execution is terminal (or `until`
    /// holds), failing after `timeout`. Polling, not sleeping a guessed time.
    func waitForExecution(
        _ id: String, prefix: String = "/api/v1", timeout: Duration = .seconds(30),
        until condition: @Sendable (ExecutionDetail) -> Bool = { $0.execution.status.isTerminal },
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ExecutionDetail {
        let deadline = ContinuousClock.now + timeout
        while true {
            let detail = try await data(ExecutionDetail.self, .get, "\(prefix)/executions/\(id)")
            if condition(detail) { return detail }
            if ContinuousClock.now >= deadline {
                Issue.record("execution \(id) did not reach the expected state in time: \(detail.execution.status)", sourceLocation: sourceLocation)
                return detail
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Every event of an execution, in order.
    func events(_ id: String, prefix: String = "/api/v1") async throws -> [ExecutionEvent] {
        try await data(EventPage.self, .get, "\(prefix)/executions/\(id)/events").events
    }
}

extension TestResponse {
    /// The body as text, for failure messages.
    var text: String { String(buffer: body) }

    /// The body as a JSON value.
    func json() throws -> JSONValue { try JSONValue.parse(body.readableBytesView) }

    /// Decodes an error body and checks its status and code.
    @discardableResult
    func expectError(
        _ status: HTTPResponse.Status, code: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> APIErrorBody {
        #expect(self.status == status, "\(text)", sourceLocation: sourceLocation)
        let error = try APICoding.makeDecoder().decode(APIErrorBody.self, from: Data(body.readableBytesView))
        #expect(error.code == code, "\(text)", sourceLocation: sourceLocation)
        #expect(!error.detail.isEmpty, sourceLocation: sourceLocation)
        return error
    }
}

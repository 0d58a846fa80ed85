import HarmoniaAPIModels
import HarmoniaCore
import Hummingbird
import HummingbirdTesting
import Testing

struct ExecutionRoutesTests {
    @Test(arguments: apiPrefixes)
    func createReturnsIdsAndPendingExecution(prefix: String) async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.noop(), prefix: prefix)
            let response = try await client.send(
                .post, "\(prefix)/executions",
                json: ["workflowId": .string(workflow.id), "input": ["x": 1], "metadata": ["who": "test"]])
            #expect(response.status == .created)
            let data = try #require(try response.json()["data"])
            let id = try #require(data["id"]?.stringValue)
            #expect(data["execution_id"]?.stringValue == id)
            #expect(data["status"] == "pending")
            #expect(data["execution"]?["execution_id"]?.stringValue == id)
            #expect(data["execution"]?["input"] == ["x": 1])
            #expect(data["execution"]?["metadata"] == ["who": "test"])
            // An acknowledgement: per-task states are in GET /executions/{id}, not here.
            #expect(data["execution"]?["tasks"] == nil)
            #expect(data["execution"]?["workflow_id"]?.stringValue == workflow.id)
            let done = try await client.waitForExecution(id, prefix: prefix)
            // What the create answered is what the store kept.
            #expect(data["execution"]?["created_at"]?.stringValue == APICoding.formatTimestamp(done.execution.record.createdAt))
        }
    }

    @Test func repeatedIdempotencyKeyReturnsTheEarlierExecution() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.noop())
            let body: JSONValue = ["workflow_id": .string(workflow.id), "idempotency_key": "order-42"]
            let first = try await client.data(ExecutionStatusView.self, .post, "/api/v1/executions", json: body, expect: .created)
            let second = try await client.data(ExecutionStatusView.self, .post, "/api/v1/executions", json: body, expect: .ok)
            #expect(second.executionID == first.executionID)
            let third = try await client.data(
                ExecutionStatusView.self, .post, "/api/v1/executions",
                json: ["workflowID": .string(workflow.id), "idempotencyKey": "order-42"], expect: .ok)
            #expect(third.executionID == first.executionID)
            let list = try await client.data(ExecutionList.self, .get, "/api/v1/executions")
            #expect(list.count == 1)
        }
    }

    @Test(arguments: apiPrefixes)
    func listFiltersByStatusAndWorkflow(prefix: String) async throws {
        try await TestServer.with { client, _ in
            let good = try await client.createWorkflow(Fixtures.noop("good"), prefix: prefix)
            let bad = try await client.createWorkflow(Fixtures.alwaysFails, prefix: prefix)
            let goodIDs = [
                try await client.startExecution(good.id, prefix: prefix),
                try await client.startExecution(good.id, prefix: prefix),
            ]
            let badID = try await client.startExecution(bad.id, prefix: prefix)
            for id in goodIDs + [badID] { _ = try await client.waitForExecution(id, prefix: prefix) }

            let all = try await client.data(ExecutionList.self, .get, "\(prefix)/executions")
            #expect(all.count == 3)
            #expect(all.executions.allSatisfy { $0.tasks == nil })
            let completed = try await client.data(ExecutionList.self, .get, "\(prefix)/executions?status=completed")
            #expect(Set(completed.executions.map(\.executionID)) == Set(goodIDs))
            let failed = try await client.data(ExecutionList.self, .get, "\(prefix)/executions?status=failed")
            #expect(failed.executions.map(\.executionID) == [badID])
            let byWorkflow = try await client.data(ExecutionList.self, .get, "\(prefix)/executions?workflow_id=\(bad.id)")
            #expect(byWorkflow.executions.map(\.executionID) == [badID])
            let page = try await client.data(ExecutionList.self, .get, "\(prefix)/executions?limit=2&offset=0")
            #expect(page.count == 2)
            let rest = try await client.data(ExecutionList.self, .get, "\(prefix)/executions?limit=2&offset=2")
            #expect(rest.count == 1)

            try await client.send(.get, "\(prefix)/executions?status=sleeping").expectError(.badRequest, code: "invalid_request")
        }
    }

    @Test(arguments: apiPrefixes)
    func eventsPageWithAfterSeq(prefix: String) async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.chain, prefix: prefix)
            let id = try await client.startExecution(workflow.id, input: ["greeting": "x"], prefix: prefix)
            _ = try await client.waitForExecution(id, prefix: prefix)
            let all = try await client.events(id, prefix: prefix)
            #expect(all.count >= 8)
            #expect(all.allSatisfy { $0.executionID == id })

            let first = try await client.data(EventPage.self, .get, "\(prefix)/executions/\(id)/events?limit=3")
            #expect(first.events.map(\.seq) == [1, 2, 3])
            #expect(first.nextAfterSeq == 3)
            let second = try await client.data(
                EventPage.self, .get, "\(prefix)/executions/\(id)/events?after_seq=\(first.nextAfterSeq)")
            #expect(second.events.map(\.seq) == Array(4...Int64(all.count)))
            let end = try await client.data(EventPage.self, .get, "\(prefix)/executions/\(id)/events?after_seq=\(all.count)")
            #expect(end.events.isEmpty && end.nextAfterSeq == Int64(all.count))

            try await client.send(.get, "\(prefix)/executions/unknown/events").expectError(.notFound, code: "not_found")
            try await client.send(.get, "\(prefix)/executions/\(id)/events?after_seq=-1")
                .expectError(.badRequest, code: "invalid_request")
        }
    }

    @Test(arguments: apiPrefixes)
    func pauseResumeCancel(prefix: String) async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.slow, prefix: prefix)
            let id = try await client.startExecution(workflow.id, prefix: prefix)
            _ = try await client.waitForExecution(id, prefix: prefix) { $0.execution.tasks?["nap"]?.status == .running }

            // Resuming a running execution is a state conflict, not a server error.
            try await client.send(.post, "\(prefix)/executions/\(id)/resume").expectError(.conflict, code: "invalid_state")

            let paused = try await client.data(ExecutionStatusView.self, .post, "\(prefix)/executions/\(id)/pause")
            #expect(paused.status == .paused)
            try await client.send(.post, "\(prefix)/executions/\(id)/pause").expectError(.conflict, code: "invalid_state")

            let resumed = try await client.data(ExecutionStatusView.self, .post, "\(prefix)/executions/\(id)/resume")
            #expect(resumed.status == .running)

            let canceled = try await client.data(
                ExecutionStatusView.self, .post, "\(prefix)/executions/\(id)/cancel", json: ["reason": "test is done"])
            #expect(canceled.status == .canceled)
            let detail = try await client.waitForExecution(id, prefix: prefix)
            #expect(detail.execution.status == .canceled)
            #expect(detail.execution.tasks?["nap"]?.status == .canceled)
            #expect(detail.execution.tasks?["after"]?.status.isTerminal == true)

            try await client.send(.post, "\(prefix)/executions/\(id)/cancel").expectError(.conflict, code: "invalid_state")
            try await client.send(.post, "\(prefix)/executions/\(id)/resume").expectError(.conflict, code: "invalid_state")

            let events = try await client.events(id, prefix: prefix).map(\.type)
            #expect(events.contains(.workflowPaused) && events.contains(.workflowResumed))
            #expect(events.last == .workflowCanceled)
        }
    }

    @Test(arguments: apiPrefixes)
    func unknownExecutionIs404(prefix: String) async throws {
        try await TestServer.with { client, _ in
            for (method, path) in [
                (HTTPRequest.Method.get, ""), (.post, "/cancel"), (.post, "/pause"), (.post, "/resume"),
            ] {
                try await client.send(method, "\(prefix)/executions/00000000-0000-0000-0000-000000000000\(path)")
                    .expectError(.notFound, code: "not_found")
            }
            try await client.send(.post, "\(prefix)/executions", json: ["workflow_id": "missing"])
                .expectError(.notFound, code: "not_found")
        }
    }

    @Test func pinnedWorkflowVersion() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.noop("v1"))
            _ = try await client.data(WorkflowView.self, .put, "/api/v1/workflows/\(workflow.id)", json: Fixtures.chain)
            let pinned = try await client.data(
                ExecutionStatusView.self, .post, "/api/v1/executions",
                json: ["workflow_id": .string(workflow.id), "workflow_version": 1], expect: .created)
            let detail = try await client.waitForExecution(pinned.executionID)
            #expect(detail.execution.record.workflowVersion == 1)
            #expect(detail.workflowDefinition?.definition.name == "v1")
            #expect(detail.execution.tasks?.keys.sorted() == ["only"])

            let newest = try await client.startExecution(workflow.id, input: ["greeting": "x"])
            let newestDetail = try await client.waitForExecution(newest)
            #expect(newestDetail.execution.record.workflowVersion == 2)

            try await client.send(
                .post, "/api/v1/executions", json: ["workflow_id": .string(workflow.id), "workflow_version": 9]
            ).expectError(.notFound, code: "not_found")
        }
    }
}

import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HarmoniaServer

/// `/schedules` over HTTP: the whole life of a schedule, and every 4xx with the field it
/// names (422 `invalid_schedule`, as a workflow definition's problems are 422).
struct ScheduleRoutesTests {
    @Test func createReadListPauseResumePatchDelete() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.noop())
            let created = try await client.data(
                ScheduleView.self, .post, "/api/v1/schedules",
                json: [
                    "id": "nightly", "name": "Nightly report", "workflow_id": .string(workflow.id), "cron": "30 2 * * *",
                    "timezone": "America/New_York", "input": ["region": "eu"], "missed_runs": "run_once",
                ],
                expect: .created)
            #expect(created.id == "nightly" && created.name == "Nightly report")
            #expect(created.cron == "30 2 * * *" && created.timezone == "America/New_York" && created.interval == nil)
            #expect(created.missedRuns == "run_once" && created.overlap == "skip" && !created.paused)
            #expect(created.nextRuns.count == 5)
            #expect(created.nextRunAt == created.nextRuns.first)
            #expect(zip(created.nextRuns, created.nextRuns.dropFirst()).allSatisfy { $0 < $1 })

            let read = try await client.data(ScheduleView.self, .get, "/api/schedules/nightly")
            #expect(read.nextRuns == created.nextRuns && read.lastRuns.isEmpty)

            _ = try await client.data(
                ScheduleView.self, .post, "/api/v1/schedules",
                json: ["workflow_id": .string(workflow.id), "interval": 3600, "overlap": "allow"], expect: .created)
            let list = try await client.data(ScheduleList.self, .get, "/api/v1/schedules?limit=1")
            #expect(list.count == 1 && list.schedules.first?.id == "nightly")
            let second = try await client.data(ScheduleList.self, .get, "/api/v1/schedules?limit=1&offset=1")
            #expect(second.schedules.first?.interval == 3600 && second.schedules.first?.nextRuns.count == 5)

            let paused = try await client.data(ScheduleView.self, .post, "/api/v1/schedules/nightly/pause")
            #expect(paused.paused && paused.nextRuns.isEmpty && paused.nextRunAt == nil)
            let again = try await client.data(ScheduleView.self, .post, "/api/v1/schedules/nightly/pause")
            #expect(again.paused)
            let resumed = try await client.data(ScheduleView.self, .post, "/api/v1/schedules/nightly/resume")
            #expect(!resumed.paused && resumed.nextRuns == created.nextRuns)

            let patched = try await client.data(
                ScheduleView.self, .patch, "/api/v1/schedules/nightly", json: ["cron": "0 9 * * mon", "timezone": "Europe/Paris"])
            #expect(patched.cron == "0 9 * * mon" && patched.timezone == "Europe/Paris" && patched.missedRuns == "run_once")
            #expect(patched.nextRuns != created.nextRuns)

            let deleted = try await client.data(ScheduleDeleted.self, .delete, "/api/v1/schedules/nightly")
            #expect(deleted.scheduleID == "nightly" && deleted.deleted)
            try await client.send(.get, "/api/v1/schedules/nightly").expectError(.notFound, code: "not_found")
        }
    }

    /// The server's schedule service starts runs: a one-second interval (the shortest) gives
    /// an execution that names its schedule and due time, listed in the schedule's runs.
    @Test func theServerStartsDueRuns() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.noop())
            _ = try await client.data(
                ScheduleView.self, .post, "/api/v1/schedules",
                json: ["id": "every-second", "workflow_id": .string(workflow.id), "interval": 1, "input": ["n": 7]],
                expect: .created)
            var runs: [ScheduleRun] = []
            try await eventually("a scheduled run starts") {
                runs = try await client.data(ScheduleRunList.self, .get, "/api/v1/schedules/every-second/runs").runs
                return runs.contains { $0.outcome == .started }
            }
            let run = try #require(runs.last { $0.outcome == .started })
            let execution = try await client.waitForExecution(try #require(run.executionID))
            #expect(execution.execution.record.metadata["schedule_id"] == "every-second")
            #expect(execution.execution.record.metadata["scheduled_for"]?.stringValue == APICoding.formatTimestamp(run.dueAt))
            #expect(execution.execution.record.input == ["n": 7])
            _ = try await client.data(ScheduleView.self, .post, "/api/v1/schedules/every-second/pause")
        }
    }

    @Test func everyClientErrorNamesWhatIsWrong() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.noop())
            let id = JSONValue.string(workflow.id)
            func refused(_ body: JSONValue, _ status: HTTPResponse.Status = .unprocessableContent, code: String = "invalid_schedule",
                         path: String?, mentions: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let response = try await client.send(.post, "/api/v1/schedules", json: body)
                let error = try response.expectError(status, code: code, sourceLocation: sourceLocation)
                let paths = [error.path] + (error.problems ?? []).map(\.path)
                if let path { #expect(paths.contains(path), "\(response.text)", sourceLocation: sourceLocation) }
                #expect(response.text.contains(mentions), "\(response.text)", sourceLocation: sourceLocation)
            }
            try await refused(["workflow_id": id, "cron": "61 * * * *"], path: "cron", mentions: "minute")
            try await refused(["workflow_id": id, "cron": "* * *"], path: "cron", mentions: "5 fields")
            try await refused(["workflow_id": id, "cron": "0 0 * * funday"], path: "cron", mentions: "day-of-week")
            try await refused(["workflow_id": id, "cron": "@daily", "timezone": "Mars/Olympus"], path: "timezone", mentions: "Mars/Olympus")
            try await refused(["workflow_id": id, "interval": 0], path: "interval", mentions: "interval")
            try await refused(["workflow_id": id, "interval": 1.5], path: "interval", mentions: "integer")
            try await refused(["workflow_id": id, "interval": 60, "cron": "@daily"], path: "interval", mentions: "not both")
            try await refused(["workflow_id": id], path: "cron", mentions: "interval")
            try await refused(["cron": "@daily"], path: "workflow_id", mentions: "workflow_id is required")
            try await refused(["workflow_id": id, "interval": 60, "missed_runs": "always"], path: "missed_runs", mentions: "run_once")
            try await refused(["workflow_id": id, "interval": 60, "overlap": "queue"], path: "overlap", mentions: "cancel_previous")
            try await refused(["workflow_id": id, "interval": 60, "input": [1]], path: "input", mentions: "object")
            try await refused(["workflow_id": id, "interval": 60, "metadata": "x"], path: "metadata", mentions: "object")
            try await refused(["workflow_id": "nope", "interval": 60], .notFound, code: "not_found", path: nil, mentions: "nope")
            try await refused(
                ["workflow_id": id, "workflow_version": 9, "interval": 60], .notFound, code: "not_found", path: nil, mentions: "version 9")
            try await refused([1, 2], .badRequest, code: "invalid_request", path: nil, mentions: "object")

            let empty = try await client.send(.post, "/api/v1/schedules", text: "")
            try empty.expectError(.badRequest, code: "invalid_request")
            let broken = try await client.send(.post, "/api/v1/schedules", text: "{", contentType: "application/json")
            try broken.expectError(.badRequest, code: "invalid_json")

            _ = try await client.data(
                ScheduleView.self, .post, "/api/v1/schedules", json: ["id": "s", "workflow_id": id, "interval": 60], expect: .created)
            try await refused(["id": "s", "workflow_id": id, "interval": 60], .conflict, code: "conflict", path: nil, mentions: "s")
            for (method, path) in [
                (HTTPRequest.Method.get, "/api/v1/schedules/missing"), (.delete, "/api/v1/schedules/missing"),
                (.post, "/api/v1/schedules/missing/pause"), (.post, "/api/v1/schedules/missing/resume"),
                (.get, "/api/v1/schedules/missing/runs"),
            ] {
                try await client.send(method, path).expectError(.notFound, code: "not_found")
            }
            try await client.send(.patch, "/api/v1/schedules/missing", json: ["paused": true]).expectError(.notFound, code: "not_found")
            try await client.send(.patch, "/api/v1/schedules/s", json: ["id": "other"]).expectError(.unprocessableContent, code: "invalid_schedule")
            try await client.send(.patch, "/api/v1/schedules/s", json: ["timezone": "UTC"]).expectError(.unprocessableContent, code: "invalid_schedule")
            try await client.send(.patch, "/api/v1/schedules/s", json: ["workflow_id": "nope"]).expectError(.notFound, code: "not_found")
            try await client.send(.get, "/api/v1/schedules?limit=0").expectError(.badRequest, code: "invalid_request")
            try await client.send(.get, "/api/v1/schedules/s/runs?limit=x").expectError(.badRequest, code: "invalid_request")
            try await client.send(.put, "/api/v1/schedules/s").expectError(.methodNotAllowed, code: "method_not_allowed")
        }
    }
}

import HarmoniaClient
import NIOHTTP1
import HarmoniaCore

extension ToolCatalog {
    static let statuses = ["pending", "running", "paused", "completed", "failed", "canceled"]
    static let terminalStatuses: Set<String> = ["completed", "failed", "canceled"]

    static func executionPath(_ arguments: ToolArguments, _ suffix: String = "") -> String {
        "\(api)/executions/\(segment(arguments.require("execution_id")))\(suffix)"
    }

    static let executionTools: [HarmoniaTool] = [
        HarmoniaTool(
            "ExecuteWorkflow", "Start an execution of a workflow; it runs in the background (follow it with WaitForExecution).",
            parameters: [
                workflowID,
                ToolParameter("input_data", .object, default: [:], "the execution's input (laid over the workflow's default_input)"),
                metadata,
                ToolParameter("idempotency_key", .string(minLength: 1), "a repeated key returns the earlier execution"),
                ToolParameter("workflow_version", .integer(minimum: 1), "run this version (default the newest)"),
            ]
        ) { arguments, client in
            var body: [String: JSONValue] = [
                "workflow_id": .string(arguments.require("workflow_id")), "input": arguments["input_data"] ?? [:],
            ]
            for key in ["metadata", "idempotency_key", "workflow_version"] { body[key] = arguments[key] }
            return try await client.send(.POST, "\(api)/executions", body: .object(body))
        },
        HarmoniaTool(
            "CancelWorkflowExecution", "Cancel an execution: in-flight task calls are canceled, unfinished tasks marked canceled.",
            destructive: true,
            parameters: [executionID, ToolParameter("reason", .string(), "why, kept in the event log")]
        ) { arguments, client in
            var body: [String: JSONValue] = [:]
            body["reason"] = arguments["reason"]
            return try await client.send(.POST, executionPath(arguments, "/cancel"), body: .object(body))
        },
        HarmoniaTool("PauseWorkflowExecution", "Pause a running execution: no new task starts; running ones finish.", parameters: [executionID]) {
            arguments, client in
            try await client.send(.POST, executionPath(arguments, "/pause"))
        },
        HarmoniaTool("ResumeWorkflowExecution", "Resume a paused execution.", parameters: [executionID]) { arguments, client in
            try await client.send(.POST, executionPath(arguments, "/resume"))
        },
        HarmoniaTool(
            "SendSignal",
            "Send a signal to an execution: the first harmonia.wait_for_signal task waiting for `name` completes with `payload` as its output; with none waiting the signal is kept for the next one (an approval, a webhook).",
            parameters: [
                executionID,
                ToolParameter("name", .string(minLength: 1), required: true, "the signal name: 1-128 characters of A-Z a-z 0-9 _ . -"),
                ToolParameter("payload", .schema([:]), "any JSON value (default null)"),
            ]
        ) { arguments, client in
            try await client.send(
                .POST, executionPath(arguments, "/signals/\(segment(arguments.require("name")))"), body: arguments["payload"] ?? .null)
        },
        HarmoniaTool(
            "GetWorkflowExecutionStatus", "An execution's status with every task's state and output, its definition and counts.",
            readOnly: true, parameters: [executionID]
        ) { arguments, client in
            try await client.send(.GET, executionPath(arguments))
        },
        HarmoniaTool(
            "ListWorkflowExecutions", "List executions, newest first.", readOnly: true,
            parameters: [
                ToolParameter("workflow_id", .string(minLength: 1), "only executions of this workflow"),
                ToolParameter("status", .string(enumeration: statuses), "only executions in this status"),
                limit, offset,
            ]
        ) { arguments, client in
            try await client.send(
                .GET, "\(api)/executions",
                query: [("workflow_id", arguments.string("workflow_id")), ("status", arguments.string("status")),
                        ("limit", arguments.integer("limit").map(String.init)), ("offset", arguments.integer("offset").map(String.init))])
        },
        HarmoniaTool(
            "WaitForExecution",
            "Wait until an execution is completed, failed or canceled, at most timeout_seconds; answers its state and `finished` (false when the time ran out first).",
            readOnly: true,
            parameters: [
                executionID,
                ToolParameter("timeout_seconds", .number(exclusiveMinimum: 0, maximum: 3600), default: 30, "how long to wait (at most 3600)"),
            ]
        ) { arguments, client in
            let timeout = arguments["timeout_seconds"]?.doubleValue ?? 30
            let clock = ContinuousClock()
            let deadline = clock.now + .milliseconds(Int64(timeout * 1000))
            var pause = Duration.milliseconds(20)
            while true {
                let detail = try await client.send(.GET, executionPath(arguments))
                let status = detail["execution"]?["status"]?.stringValue ?? ""
                let finished = terminalStatuses.contains(status)
                if finished || clock.now >= deadline {
                    var answer = detail.objectValue ?? [:]
                    answer["finished"] = .bool(finished)
                    answer["status"] = .string(status)
                    return .object(answer)
                }
                // Polls the REST API, ever less often (20 ms up to 500 ms), never past the deadline.
                try await Task.sleep(for: min(pause, deadline - clock.now))
                pause = min(pause * 2, .milliseconds(500))
            }
        },
        HarmoniaTool(
            "GetExecutionEvents", "An execution's event log after a seq, in order; pass next_after_seq as after_seq to read on.",
            readOnly: true,
            parameters: [
                executionID,
                ToolParameter("after_seq", .integer(minimum: 0), default: 0, "events with a greater seq"),
                ToolParameter("limit", .integer(minimum: 1, maximum: 10_000), default: 1000, "most events"),
            ]
        ) { arguments, client in
            try await client.send(
                .GET, executionPath(arguments, "/events"),
                query: [("after_seq", arguments.integer("after_seq").map(String.init)), ("limit", arguments.integer("limit").map(String.init))])
        },
        HarmoniaTool(
            "CheckpointExecution", "Take a checkpoint of an execution (any status): its completed tasks' outputs, to restore from.",
            parameters: [executionID, ToolParameter("reason", .string(minLength: 1), default: "manual", "a label, 1–200 characters")]
        ) { arguments, client in
            var body: [String: JSONValue] = [:]
            body["reason"] = arguments["reason"]
            return try await client.send(.POST, executionPath(arguments, "/checkpoint"), body: .object(body))
        },
        HarmoniaTool("ListCheckpoints", "An execution's checkpoints, oldest first.", readOnly: true, parameters: [executionID]) {
            arguments, client in
            try await client.send(.GET, executionPath(arguments, "/checkpoints"))
        },
        HarmoniaTool(
            "RestoreCheckpoint", "Start a new execution from a checkpoint: completed tasks keep their outputs, the rest run.",
            parameters: [ToolParameter("checkpoint_id", .string(minLength: 1), required: true, "the checkpoint's id")]
        ) { arguments, client in
            try await client.send(.POST, "\(api)/checkpoints/\(segment(arguments.require("checkpoint_id")))/restore")
        },
    ]
}

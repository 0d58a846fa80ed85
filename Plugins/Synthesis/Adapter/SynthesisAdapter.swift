import Foundation
import HarmoniaPluginKit

/// The Synthesis adapter (plan execution; Tekton port 8009).
///
/// Synthesis answers in camelCase (`executionId`) and may report a failure as HTTP 200 with
/// `{"status": "error"}`. A plan runs asynchronously: the adapter submits it with the
/// task's idempotency key as `context_id` (which Synthesis uses as its execution id), polls
/// until the execution ends, then reads the step results.
public struct SynthesisAdapter: HarmoniaAdapter {
    public static let manifest = PluginManifest(
        name: "synthesis", version: "1.0.0", component: "synthesis",
        description: "Synthesis: execute plans of steps and commands, inspect and cancel executions",
        actions: actionManifests)

    /// Tekton's port for Synthesis.
    static let defaultPort = 8009
    /// Seconds between two status polls unless `poll_interval` says otherwise.
    static let defaultPollInterval = 1.0

    let service: TektonService
    /// Seconds between two status polls.
    let pollInterval: Double

    public init(configuration: AdapterConfiguration) throws {
        service = try TektonService(configuration: configuration, defaultPort: Self.defaultPort)
        if let value = configuration.options["poll_interval"], !value.isNull {
            guard let seconds = value.doubleValue, seconds > 0, seconds <= 60 else {
                throw AdapterError(
                    code: "invalid_configuration", message: "synthesis options: `poll_interval` must be a number of seconds in (0, 60]",
                    retryable: false)
            }
            pollInterval = seconds
        } else {
            pollInterval = Self.defaultPollInterval
        }
    }

    public func invoke(_ call: AdapterCall) async throws -> PluginJSON {
        if let schema = Self.inputSchema(of: call.action) { try call.validateInput(against: schema) }
        switch call.action {
        case "execute_plan":
            guard let plan = call.input["plan"], plan["steps"]?.arrayValue != nil else {
                throw AdapterError.invalidInput("synthesis.execute_plan needs `plan`: an object with `steps` (an array)")
            }
            return try await execute(plan: plan, call: call)
        case "execute_command":
            let output = try await execute(plan: try Self.commandPlan(call), call: call)
            return Self.commandOutput(output)
        case "get_execution": return try await getExecution(call)
        case "cancel_execution": return try await cancelExecution(call)
        default: throw AdapterError.unknownAction(call.action, component: call.component)
        }
    }

    /// `get_execution {execution_id}` → `GET /api/v1/executions/{id}`.
    func getExecution(_ call: AdapterCall) async throws -> PluginJSON {
        let id = try call.requiredString("execution_id")
        let record = try checked(try await service.get(executionPath(id), call: call), call: call)
        return ["result": record["data"] ?? record, "status": record["status"] ?? .null, "execution_id": .string(id)]
    }

    /// `cancel_execution {execution_id}` → `POST /api/v1/executions/{id}/cancel`.
    func cancelExecution(_ call: AdapterCall) async throws -> PluginJSON {
        let id = try call.requiredString("execution_id")
        let answer = try checked(try await service.post(executionPath(id) + "/cancel", .emptyObject, call: call), call: call)
        return ["result": true, "execution_id": .string(id), "message": answer["message"] ?? .null]
    }

    func executionPath(_ id: String) -> String {
        "/api/v1/executions/\(TektonService.segment(id))"
    }

    /// A one-step plan of type `command` for `execute_command`, in the parameters Synthesis'
    /// command handler reads: `command` (a string: it runs it with a shell, and refuses an
    /// argv array, so one is quoted word by word into a line), `cwd`, `env`, `timeout`.
    static func commandPlan(_ call: AdapterCall) throws -> PluginJSON {
        var parameters: [String: PluginJSON] = [:]
        switch call.input["command"] {
        case .string(let line) where !line.isEmpty: parameters["command"] = .string(line)
        case .array(let words) where !words.isEmpty && words.allSatisfy({ $0.stringValue != nil }):
            parameters["command"] = .string(words.compactMap(\.stringValue).map(shellQuote).joined(separator: " "))
        default:
            throw AdapterError.invalidInput("synthesis.execute_command needs `command`: a string or an array of strings")
        }
        if let directory = call.input["working_directory"], !directory.isNull { parameters["cwd"] = directory }
        if let environment = call.input["environment"], !environment.isNull { parameters["env"] = environment }
        if let timeout = call.input["timeout"], !timeout.isNull { parameters["timeout"] = timeout }
        return ["steps": [["type": "command", "parameters": .object(parameters)]]]
    }

    /// `execute_command`'s output in Ergon's shape: `result` (stdout), `stdout`, `stderr`,
    /// `exit_code`, `success`, from the one step's `data` `{stdout, stderr, return_code}`;
    /// the execution's fields (`execution_id`, `status`, `results`) stay beside them.
    static func commandOutput(_ output: PluginJSON) -> PluginJSON {
        var object = output.objectValue ?? [:]
        let data = output["results"]?[0]?["data"] ?? .null
        let stdout = data["stdout"]?.stringValue ?? ""
        object["result"] = .string(stdout)
        object["stdout"] = .string(stdout)
        object["stderr"] = .string(data["stderr"]?.stringValue ?? "")
        object["exit_code"] = data["return_code"].flatMap { $0.intValue.map(PluginJSON.integer) } ?? .null
        object["success"] = .bool(output["results"]?[0]?["success"]?.boolValue == true)
        return .object(object)
    }

    /// `word` single-quoted for `sh` (`it's` → `'it'\''s'`); safe words stay bare.
    static func shellQuote(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_./=:,+@%".unicodeScalars.contains(scalar))
        }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

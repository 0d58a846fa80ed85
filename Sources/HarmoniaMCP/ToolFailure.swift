import HarmoniaClient
import HarmoniaCore

/// Why a tool call failed, as the tool error an MCP client reads: the REST API's stable
/// `code`, its `detail`, and where known the offending field (`path`) and every problem.
///
/// A failure is a tool result with `isError: true`, never a JSON-RPC error, so an agent sees
/// it and can correct its call (MCP: errors inside a tool are reported in the result).
public struct ToolFailure: Error, Sendable, Hashable {
    public var code: String
    public var detail: String
    public var path: String?
    /// The HTTP status the REST API answered with; 0 when the call never reached it.
    public var status: Int
    public var problems: [HarmoniaError.Problem]

    public init(code: String, detail: String, path: String? = nil, status: Int = 0, problems: [HarmoniaError.Problem] = []) {
        self.code = code
        self.detail = detail
        self.path = path
        self.status = status
        self.problems = problems
    }

    /// A bad argument, refused before any request: `invalid_request` like the REST API's
    /// own field errors, with `path` the argument's name.
    static func argument(_ name: String, _ problem: String) -> ToolFailure {
        ToolFailure(code: "invalid_request", detail: "argument '\(name)' \(problem)", path: name, status: 400)
    }

    init(_ error: HarmoniaClientError) {
        self.init(code: error.code, detail: error.detail, path: error.path, status: error.status, problems: error.problems)
    }

    /// The structured content of the tool error.
    public var json: JSONValue {
        var object: [String: JSONValue] = ["code": .string(code), "detail": .string(detail)]
        if let path { object["path"] = .string(path) }
        if status > 0 { object["status"] = .integer(status) }
        if !problems.isEmpty {
            object["problems"] = .array(problems.map { problem in
                var item: [String: JSONValue] = ["code": .string(problem.code), "message": .string(problem.message)]
                if let path = problem.path { item["path"] = .string(path) }
                return .object(item)
            })
        }
        return .object(object)
    }
}

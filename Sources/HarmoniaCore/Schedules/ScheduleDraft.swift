import Foundation

/// A schedule as a request describes it (`POST /schedules`, `PATCH /schedules/{id}`):
/// every field optional, checked for shape here and turned into a `Schedule` by
/// `Schedule(draft:now:)` or applied to a stored one by `Schedule.applying(_:now:)`.
public struct ScheduleDraft: Sendable, Hashable {
    public var id: String?
    public var name: String?
    public var workflowID: String?
    public var workflowVersion: Int?
    /// True when the request gave `workflow_version: null` (PATCH: back to "newest").
    public var clearsWorkflowVersion = false
    public var cron: CronExpression?
    public var timeZone: TimeZone?
    public var intervalSeconds: Int?
    public var input: JSONValue?
    public var metadata: [String: JSONValue]?
    public var missedRuns: Schedule.MissedRunPolicy?
    public var overlap: Schedule.OverlapPolicy?
    public var paused: Bool?
    public var startAt: Date?
    public var endAt: Date?
    /// True when the request gave `start_at: null` / `end_at: null` (PATCH: remove it).
    public var clearsStartAt = false
    public var clearsEndAt = false

    public init() {}

    /// Reads a request body; `invalid_schedule` lists every problem with the field it is in.
    public static func decode(_ value: JSONValue) throws -> ScheduleDraft {
        guard let members = value.objectValue else {
            throw HarmoniaError(.invalidRequest, "a schedule must be a JSON object, not \(value.typeName)")
        }
        let root = LenientObject(members, path: "")
        var problems = ProblemList()
        var draft = ScheduleDraft()
        let code = HarmoniaError.Code.invalidSchedule
        draft.id = root.string("id", code: code, problems: &problems)
        if let id = draft.id, id.isEmpty || id.count > 200 || id.contains("/") || id.allSatisfy(\.isWhitespace) {
            problems.add(code, "id must be 1 to 200 characters without '/'", path: "id")
        }
        draft.name = root.string("name", code: code, problems: &problems)
        draft.workflowID = root.string("workflow_id", aliases: ["workflow"], code: code, problems: &problems)
        if let id = draft.workflowID, id.allSatisfy(\.isWhitespace) {
            problems.add(code, "workflow_id must not be empty", path: "workflow_id")
        }
        draft.clearsWorkflowVersion = members["workflow_version"] == .null
        draft.workflowVersion = root.integer("workflow_version", rule: .atLeast(1), code: code, problems: &problems)
        if let text = root.string("cron", code: code, problems: &problems) {
            do {
                draft.cron = try CronExpression(text)
            } catch let error as HarmoniaError {
                problems.add(error)
            }
        }
        if let name = root.string("timezone", aliases: ["time_zone", "tz"], code: code, problems: &problems) {
            if let zone = TimeZone(identifier: name) {
                draft.timeZone = zone
            } else {
                problems.add(code, "timezone \"\(name)\" is not an IANA time zone (say \"Europe/Paris\" or \"UTC\")", path: "timezone")
            }
        }
        draft.intervalSeconds = root.integer(
            "interval", rule: .between(Double(ScheduleTrigger.minimumIntervalSeconds), Double(ScheduleTrigger.maximumIntervalSeconds)),
            code: code,
            problems: &problems)
        if draft.cron != nil, draft.intervalSeconds != nil {
            problems.add(code, "give either cron or interval, not both", path: "interval")
        }
        if draft.intervalSeconds != nil, draft.timeZone != nil {
            problems.add(code, "timezone applies to cron schedules only", path: "timezone")
        }
        if let field = root.field("input") {
            if field.value.objectValue == nil {
                problems.add(code, "input must be an object, got \(field.value.typeName)", path: "input")
            } else {
                draft.input = field.value
            }
        }
        draft.metadata = root.object("metadata", code: code, problems: &problems)?.members
        if let text = root.string("missed_runs", code: code, problems: &problems) {
            draft.missedRuns = Schedule.MissedRunPolicy(rawValue: text)
            if draft.missedRuns == nil {
                problems.add(code, "missed_runs must be skip or run_once, got \"\(text)\"", path: "missed_runs")
            }
        }
        if let text = root.string("overlap", code: code, problems: &problems) {
            draft.overlap = Schedule.OverlapPolicy(rawValue: text)
            if draft.overlap == nil {
                problems.add(code, "overlap must be allow, skip or cancel_previous, got \"\(text)\"", path: "overlap")
            }
        }
        draft.paused = root.bool("paused", code: code, problems: &problems)
        draft.clearsStartAt = members["start_at"] == .null
        draft.clearsEndAt = members["end_at"] == .null
        draft.startAt = timestamp(root, "start_at", problems: &problems)
        draft.endAt = timestamp(root, "end_at", problems: &problems)
        try problems.throwIfAny()
        return draft
    }

    /// An ISO-8601 time with a zone (`2026-03-01T09:00:00Z`, fractional seconds allowed).
    private static func timestamp(_ root: LenientObject, _ key: String, problems: inout ProblemList) -> Date? {
        guard let text = root.string(key, code: .invalidSchedule, problems: &problems) else { return nil }
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = plain.date(from: text) ?? fractional.date(from: text) {
            return Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
        }
        problems.add(
            .invalidSchedule, "\(key) must be an ISO-8601 time with a zone, like 2026-03-01T09:00:00Z, got \"\(text)\"",
            path: key)
        return nil
    }
}

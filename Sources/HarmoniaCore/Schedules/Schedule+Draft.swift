import Foundation

extension Schedule {
    /// A new schedule from a create request; its first due time is the first after `now`.
    /// `workflow_id` and one of `cron` or `interval` are required.
    public init(draft: ScheduleDraft, now: Date) throws {
        guard let workflowID = draft.workflowID else {
            throw HarmoniaError(.invalidSchedule, "workflow_id is required", path: "workflow_id")
        }
        let trigger: ScheduleTrigger
        if let cron = draft.cron {
            trigger = .cron(cron, timeZone: draft.timeZone ?? TimeZone(identifier: "UTC")!)
        } else if let seconds = draft.intervalSeconds {
            trigger = .interval(seconds: seconds, anchor: Self.wholeMilliseconds(now))
        } else {
            throw HarmoniaError(.invalidSchedule, "give cron (with an optional timezone) or interval (seconds)", path: "cron")
        }
        self.init(
            id: draft.id ?? UUID().uuidString.lowercased(), name: draft.name, workflowID: workflowID,
            workflowVersion: draft.workflowVersion, trigger: trigger, input: draft.input ?? .emptyObject,
            metadata: draft.metadata ?? [:], missedRuns: draft.missedRuns ?? .skip, overlap: draft.overlap ?? .skip,
            paused: draft.paused ?? false, nextDueAt: nil, startAt: draft.startAt, endAt: draft.endAt, createdAt: now)
        try checkWindow()
        nextDueAt = nextDue(after: now)
    }

    /// `end_at` must come after `start_at`.
    func checkWindow() throws {
        if let startAt, let endAt, endAt <= startAt {
            throw HarmoniaError(.invalidSchedule, "end_at must be later than start_at", path: "end_at")
        }
    }

    /// `date` rounded to the millisecond, as stores keep dates: an interval's due times are
    /// then the same whether computed from the schedule as created or as read back.
    static func wholeMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }

    /// This schedule with a PATCH request's fields changed. A new trigger (or a resume)
    /// restarts the due times from `now`; `id` cannot change.
    public func applying(_ draft: ScheduleDraft, now: Date) throws -> Schedule {
        if let id = draft.id, id != self.id {
            throw HarmoniaError(.invalidSchedule, "id cannot change (it is \(self.id))", path: "id")
        }
        var updated = self
        if let name = draft.name { updated.name = name }
        if let workflowID = draft.workflowID { updated.workflowID = workflowID }
        if draft.clearsWorkflowVersion { updated.workflowVersion = nil }
        if let version = draft.workflowVersion { updated.workflowVersion = version }
        var retimed = false
        if let cron = draft.cron {
            let zone: TimeZone
            if let given = draft.timeZone {
                zone = given
            } else if case .cron(_, let current) = trigger {
                zone = current
            } else {
                zone = TimeZone(identifier: "UTC")!
            }
            updated.trigger = .cron(cron, timeZone: zone)
            retimed = true
        } else if let zone = draft.timeZone {
            guard case .cron(let cron, _) = trigger else {
                throw HarmoniaError(.invalidSchedule, "timezone applies to cron schedules only", path: "timezone")
            }
            updated.trigger = .cron(cron, timeZone: zone)
            retimed = true
        } else if let seconds = draft.intervalSeconds {
            updated.trigger = .interval(seconds: seconds, anchor: Self.wholeMilliseconds(now))
            retimed = true
        }
        if let input = draft.input { updated.input = input }
        if let metadata = draft.metadata { updated.metadata = metadata }
        if let policy = draft.missedRuns { updated.missedRuns = policy }
        if let policy = draft.overlap { updated.overlap = policy }
        if draft.clearsStartAt || draft.startAt != nil {
            updated.startAt = draft.startAt
            retimed = true
        }
        if draft.clearsEndAt || draft.endAt != nil {
            updated.endAt = draft.endAt
            retimed = true
        }
        try updated.checkWindow()
        if let paused = draft.paused {
            if paused != self.paused, !paused { retimed = true }
            updated.paused = paused
        }
        if retimed { updated.nextDueAt = updated.nextDue(after: now) }
        updated.updatedAt = now
        return updated
    }
}

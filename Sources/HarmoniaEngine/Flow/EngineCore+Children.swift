import Foundation
import HarmoniaCore
import Logging

/// Sub-workflows: starting, finding, steering and hearing back from child executions.
///
/// The parent's task stays `running` while its child runs. The child's id is derived from
/// (parent, task, attempt) (`ChildExecutionID`), and the attempt is stored with the task's
/// start before the child is created, so a restart finds the same child: its stored record
/// says whether it still runs (its end will be reported) or has ended (reported at once).
extension EngineCore {
    /// Starts the child of a `run_workflow` attempt, or reattaches to it if it exists.
    func startChild(_ child: ChildStart, parentID: String) {
        let depth = (machines[parentID]?.state.record.parent?.depth ?? 0) + 1
        let link = ExecutionParent(executionID: parentID, taskID: child.taskID, depth: depth)
        let store = self.store
        let mailbox = self.mailbox
        let clock = self.clock
        let logger = self.logger
        let inputLimit = configuration.maxTaskInputBytes
        let report: @Sendable (InvocationResult) -> Void = { result in
            mailbox.send(.taskResult(executionID: parentID, taskID: child.taskID, attempt: child.attempt, result))
        }
        tasks.start {
            do {
                if let existing = try await store.execution(id: child.childExecutionID) {
                    // Reattached after a restart (or a repeated start): one child per attempt.
                    if let result = ChildExecutionOutput.result(of: existing) { report(result) }
                    return
                }
                if child.input.exceedsEncodedSize(inputLimit) {
                    report(
                        .failure(
                            TaskFailure(
                                .inputTooLarge,
                                "task '\(child.taskID)' child input is larger than the limit of \(inputLimit) bytes (engine.max_task_input_bytes)",
                                retryable: false)))
                    return
                }
                if depth > FlowAction.maxDepth {
                    let chain = try await Self.chain(from: parentID, store: store)
                    report(
                        .failure(
                            TaskFailure(
                                .workflowDepthExceeded,
                                "run_workflow of '\(child.workflowID)' would nest executions \(depth) deep; the limit is "
                                    + "\(FlowAction.maxDepth) (chain: \(chain.joined(separator: " → ")))",
                                retryable: false)))
                    return
                }
                guard let definition = try await store.workflow(id: child.workflowID, version: child.version) else {
                    let which = child.version.map { "version \($0) of workflow '\(child.workflowID)'" } ?? "workflow '\(child.workflowID)'"
                    report(.failure(TaskFailure(.workflowNotFound, "run_workflow: \(which) does not exist", retryable: false)))
                    return
                }
                let input = definition.effectiveInput(child.input) ?? child.input
                do {
                    try InputValidator.validate(input, against: definition.inputSchema)
                } catch {
                    let message = (error as? HarmoniaError)?.message ?? "\(error)"
                    report(.failure(TaskFailure(.invalidInput, "run_workflow input for '\(definition.id)': \(message)", retryable: false)))
                    return
                }
                var record = ExecutionRecord(
                    id: child.childExecutionID, workflowID: definition.id, workflowVersion: definition.version,
                    workflowName: definition.name, input: input, parent: link)
                record.createdAt = clock.now()
                record.updatedAt = record.createdAt
                let state = ExecutionState(record: record, definition: definition)
                let _: ExecutionState = try await withCheckedThrowingContinuation { continuation in
                    mailbox.send(.create(state, definition, Reply(continuation)))
                }
            } catch let error as HarmoniaError where error.code == .conflict {
                // Created by an earlier start of the same attempt: that one is reported.
            } catch let error as HarmoniaError where error.code == .invalidState {
                // The parent's attempt ended before the child could start (`childRefusal`).
            } catch {
                logger.warning("could not start child execution \(child.childExecutionID) of \(parentID): \(error)")
                let message = (error as? HarmoniaError)?.message ?? "\(error)"
                report(.failure(TaskFailure(.childExecutionFailed, "child execution could not be started: \(message)", retryable: true)))
            }
        }
    }

    /// Why a child must not be created now: its parent's attempt is no longer running (the
    /// parent was canceled, or the attempt timed out, while the start was under way).
    func childRefusal(_ record: ExecutionRecord) -> HarmoniaError? {
        guard let parent = record.parent else { return nil }
        guard let machine = machines[parent.executionID], let task = machine.state.tasks[parent.taskID], task.status == .running,
            ChildExecutionID.make(parent: parent.executionID, taskID: parent.taskID, attempt: task.attempt) == record.id
        else {
            return HarmoniaError(.invalidState, "the attempt of task '\(parent.taskID)' of \(parent.executionID) that started child \(record.id) has ended")
        }
        return nil
    }

    /// A child created while its parent is paused starts paused too: the parent's pause went
    /// out before the child existed, and its resume will reach it.
    func pauseIfParentPaused(_ machine: inout ExecutionMachine, now: Date, batch: inout Batch) {
        guard let parent = machine.state.record.parent, machines[parent.executionID]?.state.record.status == .paused else { return }
        let step = machine.handle(.pause, now: now, rng: &rng)
        if step.rejection == nil { batch.record(machine: machine, step: step, isNew: false) }
    }

    /// Passes a parent's pause, resume or cancel to a live child; a child that already ended
    /// (or does not exist yet) has nothing to do.
    func controlChild(_ childID: String, _ control: ChildControl) {
        guard machines[childID] != nil else { return }
        let command: ControlCommand
        switch control {
        case .pause: command = .pause
        case .resume: command = .resume
        case .cancel(let reason): command = .cancel(reason: reason)
        }
        let mailbox = self.mailbox
        tasks.start {
            let _: ExecutionState? = try? await withCheckedThrowingContinuation { continuation in
                mailbox.send(.control(childID, command, Reply(continuation)))
            }
        }
    }

    /// A child ended: its parent's task gets the result, if that attempt still waits for it.
    func childFinished(_ id: String) {
        guard let machine = machines[id], let parent = machine.state.record.parent,
            let task = machines[parent.executionID]?.state.tasks[parent.taskID], task.status == .running,
            ChildExecutionID.make(parent: parent.executionID, taskID: parent.taskID, attempt: task.attempt) == id,
            let result = ChildExecutionOutput.result(of: machine.state)
        else { return }
        mailbox.send(.taskResult(executionID: parent.executionID, taskID: parent.taskID, attempt: task.attempt, result))
    }

    /// The ids from the top-level execution down to `id`, for the depth-limit error.
    static func chain(from id: String, store: any Store) async throws -> [String] {
        var chain = [id]
        var current = id
        while chain.count <= FlowAction.maxDepth + 1, let parent = try await store.execution(id: current)?.record.parent {
            chain.append(parent.executionID)
            current = parent.executionID
        }
        return chain.reversed()
    }
}

import HarmoniaCore

extension EngineCore {
    /// The failure of a dispatch whose resolved input is larger than
    /// `max_task_input_bytes`; nil when it fits. Checked before any adapter sees the input,
    /// so an input built by expressions from earlier outputs cannot grow without bound.
    func oversizedInput(_ dispatch: Dispatch) -> TaskFailure? {
        let limit = configuration.maxTaskInputBytes
        guard dispatch.input.exceedsEncodedSize(limit) else { return nil }
        return TaskFailure(
            .inputTooLarge,
            "task '\(dispatch.taskID)' input is larger than the limit of \(limit) bytes (engine.max_task_input_bytes)",
            retryable: false)
    }

    /// The failure that replaces an output larger than `max_task_output_bytes`; nil when it
    /// fits. Not retryable: the same call would most likely produce the same output.
    func oversizedOutput(_ output: JSONValue, taskID: String) -> TaskFailure? {
        let limit = configuration.maxTaskOutputBytes
        guard output.exceedsEncodedSize(limit) else { return nil }
        return TaskFailure(
            .outputTooLarge,
            "task '\(taskID)' output is larger than the limit of \(limit) bytes (engine.max_task_output_bytes)",
            retryable: false)
    }
}

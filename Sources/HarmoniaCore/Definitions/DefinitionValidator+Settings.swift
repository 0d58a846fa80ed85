extension DefinitionValidator {
    /// Re-checks the numeric settings that `DefinitionParser.decode` checks on the way in,
    /// for definitions that were built in code or decoded with plain `Codable`: a stored
    /// definition must never carry a negative timeout or an unbounded retry count.
    static func checkSettings(_ definition: WorkflowDefinition, problems: inout ProblemList) {
        if definition.name.allSatisfy(\.isWhitespace) {
            problems.add(.invalidDefinition, "name must not be empty", path: "name")
        }
        checkTimeout(definition.timeout, path: "timeout", problems: &problems)
        if let limit = definition.maxConcurrency, limit < 1 {
            problems.add(.invalidDefinition, "max_concurrency must be at least 1, got \(limit)", path: "max_concurrency")
        }
        if let interval = definition.checkpointInterval, !WorkflowDefinition.isValidCheckpointInterval(interval) {
            problems.add(
                .invalidDefinition,
                "checkpoint_interval must be \(WorkflowDefinition.checkpointIntervalRequirement), got \(interval)",
                path: "checkpoint_interval")
        }
        if let policy = definition.retryPolicy {
            checkRetryPolicy(policy, path: "retry_policy", problems: &problems)
        }
        if let schema = definition.inputSchema {
            SchemaLint.check(InputValidator.normalized(schema), path: "input_schema", problems: &problems)
        }
        for task in definition.tasks {
            let path = JSONPath.appending("tasks", key: task.id)
            checkTimeout(task.timeout, path: JSONPath.appending(path, key: "timeout"), problems: &problems)
            if let policy = task.retryPolicy {
                checkRetryPolicy(policy, path: JSONPath.appending(path, key: "retry_policy"), problems: &problems)
            }
            if task.component.allSatisfy(\.isWhitespace) {
                let componentPath = JSONPath.appending(path, key: "component")
                problems.add(.invalidDefinition, "\(componentPath) must not be empty", path: componentPath)
            }
            if task.action.allSatisfy(\.isWhitespace) {
                let actionPath = JSONPath.appending(path, key: "action")
                problems.add(.invalidDefinition, "\(actionPath) must not be empty", path: actionPath)
            }
            if task.input.objectValue == nil {
                let inputPath = JSONPath.appending(path, key: "input")
                problems.add(
                    .invalidDefinition, "\(inputPath) must be an object, got \(task.input.typeName)", path: inputPath)
            }
        }
    }

    private static func checkTimeout(_ timeout: Double?, path: String, problems: inout ProblemList) {
        guard let timeout, !(timeout > 0 && DurationLimit.isWithinMaximum(timeout)) else { return }
        problems.add(
            .invalidDefinition,
            "\(path) must be greater than 0 and at most \(DurationLimit.maximumDescription), got \(timeout)", path: path)
    }

    private static func checkRetryPolicy(_ policy: RetryPolicy, path: String, problems: inout ProblemList) {
        func require(_ ok: Bool, _ key: String, _ requirement: String, _ value: Double) {
            guard !ok else { return }
            let fieldPath = JSONPath.appending(path, key: key)
            problems.add(.invalidRetryPolicy, "\(fieldPath) must be \(requirement), got \(value)", path: fieldPath)
        }
        let limit = DefinitionParser.maxRetriesLimit
        require(
            (0...limit).contains(policy.maxRetries), "max_retries", "between 0 and \(limit)",
            Double(policy.maxRetries))
        let most = DurationLimit.maximumDescription
        require(
            policy.initialDelay >= 0 && DurationLimit.isWithinMaximum(policy.initialDelay), "initial_delay",
            "between 0 and \(most)", policy.initialDelay)
        require(
            policy.maxDelay >= policy.initialDelay && DurationLimit.isWithinMaximum(policy.maxDelay), "max_delay",
            "at least initial_delay (\(policy.initialDelay)) and at most \(most)", policy.maxDelay)
        require(
            policy.backoffMultiplier >= 1 && policy.backoffMultiplier.isFinite, "backoff_multiplier", "at least 1",
            policy.backoffMultiplier)
        require((0...1).contains(policy.jitter), "jitter", "between 0 and 1", policy.jitter)
    }
}

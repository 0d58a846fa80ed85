extension DefinitionParser {
    /// Most retries a policy may ask for: beyond this a failing task would keep an execution
    /// alive for days, which is a mistake rather than a wish.
    static let maxRetriesLimit = 100

    /// Reads the `retry_policy` member of a task or of the workflow, if any.
    ///
    /// Fields left out take `RetryPolicy`'s defaults, with one adjustment: when only
    /// `initial_delay` is given and it exceeds the default `max_delay`, `max_delay` rises to
    /// meet it, so `{"initial_delay": 120}` means what it says instead of being rejected for
    /// a bound the client never wrote. Every problem here has code `invalid_retry_policy`.
    static func decodeRetryPolicy(_ owner: LenientObject, problems: inout ProblemList) -> RetryPolicy? {
        let code = HarmoniaError.Code.invalidRetryPolicy
        guard let (members, path) = owner.object("retry_policy", code: code, problems: &problems) else {
            return nil
        }
        let object = LenientObject(members, path: path)
        let before = problems.count
        object.checkSpellings(code: code, problems: &problems)
        let defaults = RetryPolicy()

        let maxRetries = object.integer(
            "max_retries", rule: .between(0, Double(maxRetriesLimit)), code: code, problems: &problems)
        let initialDelay = object.number("initial_delay", rule: .duration(atLeast: 0), code: code, problems: &problems)
        let maxDelay = object.number("max_delay", rule: .duration(atLeast: 0), code: code, problems: &problems)
        let multiplier = object.number("backoff_multiplier", rule: .atLeast(1), code: code, problems: &problems)
        let jitter = object.number("jitter", rule: .between(0, 1), code: code, problems: &problems)
        let retryOn = object.stringList("retry_on", code: code, problems: &problems)

        let initial = initialDelay ?? defaults.initialDelay
        let ceiling = maxDelay ?? max(defaults.maxDelay, initial)
        if let maxDelay, maxDelay < initial, let field = object.field("max_delay") {
            let message = "\(field.path) must be at least initial_delay (\(initial)), got \(maxDelay)"
            problems.add(code, message, path: field.path)
        }
        guard problems.count == before else { return nil }
        return RetryPolicy(
            maxRetries: maxRetries ?? defaults.maxRetries, initialDelay: initial, maxDelay: ceiling,
            backoffMultiplier: multiplier ?? defaults.backoffMultiplier, jitter: jitter ?? defaults.jitter,
            retryOn: retryOn)
    }
}

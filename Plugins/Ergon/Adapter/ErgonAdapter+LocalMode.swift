import HarmoniaPluginKit

/// `execute_command` in local mode: the command runs on the Harmonia host, with no Tekton
/// component involved, and answers in the same shape as a sandbox run.
extension ErgonAdapter {
    func executeLocally(_ request: CommandRequest, call: AdapterCall) async throws -> PluginJSON {
        let argv = try localArgv(request, call: call)
        call.host.log(.debug, "ergon local mode: running \(argv[0])")
        let runner = LocalCommandRunner(maxOutputBytes: options.maxOutputBytes)
        let result = try await runner.run(argv: argv, environment: request.environment, timeout: commandLimit(request, call: call))
        return try result.outcome(["mode": "local"])
    }

    /// The argument vector to execute: an array as given; a string split on whitespace, or
    /// handed to `/bin/sh -c` whole when `allow_shell` is on.
    func localArgv(_ request: CommandRequest, call: AdapterCall) throws -> [String] {
        switch request.command {
        case .argv(let argv):
            return argv
        case .line(let line) where options.allowShell:
            return ["/bin/sh", "-c", line]
        case .line(let line):
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
            guard !words.isEmpty else { throw AdapterError.invalidInput("ergon.\(call.action): `command` is empty") }
            return words
        }
    }
}

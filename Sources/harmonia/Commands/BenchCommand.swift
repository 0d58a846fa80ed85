import ArgumentParser
import Foundation
import HarmoniaBench
import HarmoniaClient

/// `harmonia bench`: measures the engine (per-step overhead, throughput, start latency,
/// memory under concurrency, crash recovery) against the disk's raw SQLite commit rate.
///
/// Without `--url` it starts this same executable as `harmonia serve` in a child process,
/// a fresh one per scenario, so what is measured is a real server over HTTP whose memory
/// and crashes are its own. Scenarios, definitions and output: docs/benchmarks.md.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark the engine: chain40, fanout, fanin, layers, starts, concurrent, map, recovery, sqlite-limit.",
        discussion: """
            Without --url each scenario runs against its own `harmonia serve` child process (this executable) on a fresh data directory under --data-dir (default: a temporary directory, removed afterwards). With --url the scenarios run against that server; recovery, which kills the server, is skipped and peak RSS is not known.

            Output: a table on stdout, or with --json one JSON object per scenario per line. Progress goes to stderr. The exit status is 1 when a scenario failed or found work lost or done twice.

            Use a release build for numbers worth publishing (`swift build -c release --product harmonia`); the JSON's machine.build_mode says which this is.
            """
    )

    @Option(
        name: .customLong("scenario"),
        help: "A scenario to run (repeatable; default all): \(ScenarioName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scenarios: [String] = []

    @Option(help: "Run against this server instead of starting one (recovery is skipped).")
    var url: String?

    @Option(name: .customLong("api-key"), help: "API key for --url (env HARMONIA_API_KEY).")
    var apiKey: String?

    @Flag(help: "Print one JSON object per scenario per line instead of the table.")
    var json = false

    @Flag(help: "Tiny sizes: proves every scenario works in seconds; not a measurement.")
    var smoke = false

    @Option(name: .customLong("data-dir"), help: "Directory for the servers' data and the sqlite-limit file (kept); default a temporary directory (removed).")
    var dataDirectory: String?

    @Option(help: "SQLite synchronous mode of the embedded servers and of sqlite-limit: full (durable, default) or normal.")
    var synchronous: String = SQLiteSynchronous.full.rawValue

    @Option(name: .customLong("chain-length"), help: "chain40: sequential sleep tasks (default 40).")
    var chainLength: Int?

    @Option(name: .customLong("chain-sleep-ms"), help: "chain40: milliseconds each task sleeps (default 10).")
    var chainSleepMilliseconds: Double?

    @Option(name: .customLong("fanout-width"), help: "fanout: tasks per layer (default 100).")
    var fanoutWidth: Int?

    @Option(name: .customLong("fanout-layers"), help: "fanout: layers (default 100).")
    var fanoutLayers: Int?

    @Option(name: .customLong("fanin-width"), help: "fanin: parallel tasks between the root and the join (default 1000).")
    var faninWidth: Int?

    @Option(name: .customLong("fanin-wide-width"), help: "fanin: the same for the wide run compared with it (default 9998: 10,000 tasks).")
    var faninWideWidth: Int?

    @Option(name: .customLong("layers"), help: "layers: layers, each task depending on every task of the layer before (default 10).")
    var layersCount: Int?

    @Option(name: .customLong("layers-width"), help: "layers: tasks per layer (default 100).")
    var layersWidth: Int?

    @Option(name: .customLong("starts-rate"), help: "starts: executions started per second (default 500).")
    var startsRate: Int?

    @Option(name: .customLong("starts-seconds"), help: "starts: seconds to keep starting (default 10).")
    var startsSeconds: Double?

    @Option(name: .customLong("concurrent-executions"), help: "concurrent: executions started at once (default 1000).")
    var concurrentExecutions: Int?

    @Option(name: .customLong("recovery-executions"), help: "recovery: executions in flight at the kill (default 1000).")
    var recoveryExecutions: Int?

    @Option(name: .customLong("recovery-sleep-seconds"), help: "recovery: seconds the in-flight task sleeps (default 3).")
    var recoverySleepSeconds: Double?

    @Option(
        name: .customLong("starts-client"),
        help: "starts: socket (blocking sockets on their own threads; http:// to an IPv4 address or localhost) or http-client (AsyncHTTPClient, any URL). (default: socket)")
    var startsClient: String = StartsClient.socket.rawValue

    @Option(name: .customLong("sqlite-seconds"), help: "sqlite-limit: seconds of each phase (default 2).")
    var sqliteSeconds: Double?

    @Option(name: .customLong("sqlite-batch-rows"), help: "sqlite-limit: rows per transaction in the batched phase (default 1000).")
    var sqliteBatchRows: Int?

    func validate() throws {
        _ = try selectedScenarios()
        guard SQLiteSynchronous(rawValue: synchronous.lowercased()) != nil else {
            throw ValidationError("--synchronous must be full or normal, got \(synchronous)")
        }
        guard StartsClient(rawValue: startsClient) != nil else {
            throw ValidationError("--starts-client must be socket or http-client, got \(startsClient)")
        }
        do {
            try sizes().validate()
        } catch let error as HarmoniaError {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        let configuration = BenchConfiguration(
            scenarios: try selectedScenarios(), target: try target(), sizes: sizes(),
            dataDirectory: dataDirectory.map(ServeCommand.expandTilde),
            synchronous: SQLiteSynchronous(rawValue: synchronous.lowercased()) ?? .full, smoke: smoke,
            startsClient: StartsClient(rawValue: startsClient) ?? .socket)
        var results: [ScenarioResult] = []
        let outcome: Result<Void, any Error>
        do {
            _ = try await BenchRunner.run(configuration, progress: { Terminal.status($0) }) { result, line in
                results.append(result)
                if json { Self.write(line.jsonString() + "\n") }
            }
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        if !json, !results.isEmpty {
            Self.write(BenchTable.render(results, machine: MachineInfo.current()))
        }
        if case .failure(let error) = outcome {
            throw CLIError("\(error)")
        }
    }

    /// Unbuffered, so each JSON line is out as soon as its scenario ends, even when piped.
    /// A reader that went away (`| head -1`) loses the rest of the output; it used to trap
    /// on the broken pipe, in the middle of a scenario with its server still running.
    private static func write(_ text: String) {
        try? FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
    }

    private func selectedScenarios() throws -> [ScenarioName] {
        guard !scenarios.isEmpty else { return ScenarioName.allCases }
        return try scenarios.map { name in
            guard let scenario = ScenarioName(rawValue: name.lowercased()) else {
                let known = ScenarioName.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("unknown scenario '\(name)' (use one of \(known))")
            }
            return scenario
        }
    }

    /// The smoke or full sizes with every size flag applied over them.
    private func sizes() -> BenchSizes {
        var sizes = smoke ? BenchSizes.smoke : BenchSizes.full
        if let chainLength { sizes.chainLength = chainLength }
        if let chainSleepMilliseconds { sizes.chainSleepMilliseconds = chainSleepMilliseconds }
        if let fanoutWidth { sizes.fanoutWidth = fanoutWidth }
        if let fanoutLayers { sizes.fanoutLayers = fanoutLayers }
        if let faninWidth { sizes.faninWidth = faninWidth }
        if let faninWideWidth { sizes.faninWideWidth = faninWideWidth }
        if let layersCount { sizes.layersCount = layersCount }
        if let layersWidth { sizes.layersWidth = layersWidth }
        if let startsRate { sizes.startsRate = startsRate }
        if let startsSeconds { sizes.startsSeconds = startsSeconds }
        if let concurrentExecutions { sizes.concurrentExecutions = concurrentExecutions }
        if let recoveryExecutions { sizes.recoveryExecutions = recoveryExecutions }
        if let recoverySleepSeconds { sizes.recoverySleepSeconds = recoverySleepSeconds }
        if let sqliteSeconds { sizes.sqliteSeconds = sqliteSeconds }
        if let sqliteBatchRows { sizes.sqliteBatchRows = sqliteBatchRows }
        return sizes
    }

    private func target() throws -> BenchConfiguration.Target {
        if let url, !url.isEmpty {
            let environment = ProcessInfo.processInfo.environment
            let key = apiKey ?? environment["HARMONIA_API_KEY"]
            return .url(url, apiKey: key?.isEmpty == false ? key : nil)
        }
        guard let executable = Self.ownExecutable() else {
            throw CLIError("cannot find this executable to start the server (no /proc/self/exe, argv[0] \(CommandLine.arguments.first ?? "?")); use --url")
        }
        return .embedded(executable: executable)
    }

    /// This process's executable: /proc/self/exe, else argv[0] made absolute.
    static func ownExecutable() -> String? {
        if let image = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
            FileManager.default.isExecutableFile(atPath: image)
        {
            return image
        }
        if let executable = Bundle.main.executablePath, FileManager.default.isExecutableFile(atPath: executable) {
            return executable
        }
        guard let argv0 = CommandLine.arguments.first, argv0.contains("/") else { return nil }
        let path = URL(fileURLWithPath: argv0).standardizedFileURL.path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }
}

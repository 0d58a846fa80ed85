import Foundation
import HarmoniaClient
import Testing

/// `harmonia bench` end to end: the real binary runs every scenario at a tiny size against
/// its own server child processes and prints one JSON line per scenario.
///
/// Proves the tool works and reports what it was asked to measure (counts, exactly-once
/// checks, the fields every line must carry); it asserts no timing, because on a shared
/// machine no timing is a property of the code.
struct BenchSmokeTests {
    /// The keys every line has (null where a figure does not apply).
    static let requiredKeys = [
        "scenario", "seconds", "tasks_per_second", "transitions_per_second", "ack_p50_ms", "ack_p99_ms",
        "completion_p50_ms", "completion_p99_ms", "peak_rss_mb", "machine",
    ]

    /// Smoke sizes, with a few overridden so the test also proves the size flags apply.
    static let arguments = [
        "bench", "--smoke", "--json", "--chain-length", "4", "--fanout-width", "3", "--fanout-layers", "4",
        "--fanin-width", "6", "--fanin-wide-width", "12", "--layers", "3", "--layers-width", "5",
        "--starts-rate", "20", "--starts-seconds", "1", "--concurrent-executions", "8", "--recovery-executions", "4",
    ]

    @Test("bench --smoke --json: every scenario, required fields, counts as requested, recovery exactly once", .timeLimit(.minutes(10)))
    func everyScenarioAtSmokeSize() async throws {
        let binary = try #require(HarmoniaBinary.locate(), "harmonia binary not found \(HarmoniaBinary.searchDescription)")
        let directory = try TemporaryDirectory(prefix: "harmonia-bench-smoke")
        defer { directory.remove() }
        let child = try ChildProcess(binary: binary, arguments: Self.arguments + ["--data-dir", directory.path])
        defer { child.kill() }
        let status = try await child.waitForExit(timeout: .seconds(540))
        try #require(status == 0, "bench failed: \(child.diagnostics)")

        var lines: [String: [String: JSONValue]] = [:]
        for line in child.stdout.text.split(separator: "\n") {
            let object = try #require(try JSONValue.parse(String(line)).objectValue, "not a JSON object: \(line)")
            let scenario = try #require(object["scenario"]?.stringValue, "no scenario in \(line)")
            #expect(lines[scenario] == nil, "two lines for \(scenario)")
            lines[scenario] = object
        }
        #expect(
            Set(lines.keys) == ["sqlite-limit", "chain40", "fanout", "fanin", "layers", "starts", "concurrent", "map", "recovery"],
            "scenarios printed: \(lines.keys.sorted())")

        for (scenario, line) in lines {
            for key in Self.requiredKeys {
                #expect(line[key] != nil, "\(scenario) has no \(key)")
            }
            #expect((line["seconds"]?.doubleValue ?? 0) > 0, "\(scenario) seconds")
            #expect(line["smoke"] == .bool(true), "\(scenario) is labelled a smoke run")
            #expect(line["failure"] == nil, "\(scenario) failed: \(line["failure"]?.stringValue ?? "")")
            let machine = try #require(line["machine"]?.objectValue, "\(scenario) machine")
            #expect((machine["cores"]?.intValue ?? 0) > 0)
            #expect((machine["memory_mb"]?.intValue ?? 0) > 0)
            #expect((machine["os"]?.stringValue ?? "").isEmpty == false)
            #expect(["debug", "release"].contains(machine["build_mode"]?.stringValue ?? ""))
            #expect((machine["swift"]?.stringValue ?? "").isEmpty == false)
            if scenario == "sqlite-limit" {
                #expect(line["peak_rss_mb"] == .null, "sqlite-limit runs no server")
            } else {
                #expect((line["peak_rss_mb"]?.doubleValue ?? 0) > 0, "\(scenario) peak RSS of its server")
            }
            if ["chain40", "fanout", "fanin", "layers", "starts", "concurrent", "map"].contains(scenario) {
                #expect((line["tasks_per_second"]?.doubleValue ?? 0) > 0, "\(scenario) tasks per second")
                #expect((line["transitions_per_second"]?.doubleValue ?? 0) > 0, "\(scenario) transitions per second")
                #expect(line["ratio_to_sqlite_batched"]?.doubleValue != nil, "\(scenario): sqlite-limit ran first, so ratios are printed")
            }
        }

        let sqlite = try #require(lines["sqlite-limit"])
        #expect((sqlite["rows_per_second_single"]?.doubleValue ?? 0) > 0)
        #expect((sqlite["rows_per_second_batched"]?.doubleValue ?? 0) > 0)
        #expect(sqlite["batch_rows"] == .integer(100))

        // A noop or sleep task is two transitions, an execution two more.
        let chain = try #require(lines["chain40"])
        #expect(chain["tasks"] == .integer(4))
        #expect(chain["transitions"] == .integer(4 * 2 + 2))
        #expect(chain["executions_completed"] == .integer(1))
        #expect(chain["overhead_per_step_ms"]?.doubleValue != nil)
        #expect(chain["overhead_per_step_in_commits"]?.doubleValue != nil)

        let fanout = try #require(lines["fanout"])
        #expect(fanout["tasks"] == .integer(12))
        #expect(fanout["transitions"] == .integer(12 * 2 + 2))
        #expect(fanout["executions_completed"] == .integer(1))

        let fanin = try #require(lines["fanin"])
        #expect(fanin["tasks"] == .integer(6 + 2))
        #expect(fanin["transitions"] == .integer((6 + 2) * 2 + 2))
        #expect(fanin["wide_tasks"] == .integer(12 + 2))
        #expect(fanin["wide_transitions"] == .integer((12 + 2) * 2 + 2))
        #expect((fanin["time_per_task_ratio"]?.doubleValue ?? 0) > 0)

        // Each instance logs a start and a completion, in both runs.
        let map = try #require(lines["map"])
        #expect(map["items"] == .integer(20))
        #expect(map["instance_events"] == .integer(20 * 2))
        #expect(map["limited_max_concurrency"] == .integer(3))
        #expect((map["limited_seconds"]?.doubleValue ?? 0) > 0)

        let layers = try #require(lines["layers"])
        #expect(layers["tasks"] == .integer(15))
        #expect(layers["edges"] == .integer(2 * 5 * 5))
        #expect(layers["transitions"] == .integer(15 * 2 + 2))
        #expect(layers["server_seconds"]?.doubleValue != nil)

        let starts = try #require(lines["starts"])
        #expect(starts["starts_client"] == .string("socket"))
        #expect(starts["executions_requested"] == .integer(20))
        #expect(starts["executions_completed"] == .integer(20))
        #expect(starts["transitions"] == .integer(20 * (2 * 2 + 2)))
        #expect(starts["ack_p50_ms"]?.doubleValue != nil && starts["ack_p99_ms"]?.doubleValue != nil)
        let fromStream = starts["completions_from_stream"]?.intValue ?? 0
        #expect(fromStream + (starts["completions_from_polling"]?.intValue ?? 0) == 20)
        if fromStream > 0 {
            #expect(starts["completion_p50_ms"]?.doubleValue != nil && starts["completion_p99_ms"]?.doubleValue != nil)
        }

        let concurrent = try #require(lines["concurrent"])
        #expect(concurrent["executions"] == .integer(8))
        #expect(concurrent["executions_completed"] == .integer(8))
        #expect(concurrent["tasks"] == .integer(80))
        #expect(concurrent["transitions"] == .integer(8 * (10 * 2 + 2)))

        let recovery = try #require(lines["recovery"])
        #expect(recovery["executions"] == .integer(4))
        #expect(recovery["executions_completed"] == .integer(4))
        #expect(recovery["lost"] == .integer(0))
        #expect(recovery["duplicated"] == .integer(0))
        #expect(recovery["redispatched"] == .integer(4), "every execution's in-flight task was dispatched again")
        #expect(recovery["running_again_seconds"]?.doubleValue != nil)
    }

    @Test("starts through AsyncHTTPClient (--starts-client http-client) starts and completes every execution", .timeLimit(.minutes(5)))
    func startsThroughHTTPClient() async throws {
        let binary = try #require(HarmoniaBinary.locate(), "harmonia binary not found \(HarmoniaBinary.searchDescription)")
        let directory = try TemporaryDirectory(prefix: "harmonia-bench-starts")
        defer { directory.remove() }
        let arguments = [
            "bench", "--smoke", "--json", "--scenario", "starts", "--starts-rate", "20", "--starts-seconds", "1",
            "--starts-client", "http-client", "--data-dir", directory.path,
        ]
        let child = try ChildProcess(binary: binary, arguments: arguments)
        defer { child.kill() }
        let status = try await child.waitForExit(timeout: .seconds(240))
        try #require(status == 0, "bench failed: \(child.diagnostics)")
        let line = try #require(try JSONValue.parse(child.stdout.text).objectValue, "not one JSON object: \(child.stdout.text)")
        #expect(line["starts_client"] == .string("http-client"))
        #expect(line["executions_completed"] == .integer(20))
        #expect(line["ack_p50_ms"]?.doubleValue != nil)
    }

    @Test("bench refuses unknown scenarios and sizes the server cannot take, before starting anything", .timeLimit(.minutes(2)))
    func badOptionsAreRefused() async throws {
        let binary = try #require(HarmoniaBinary.locate(), "harmonia binary not found \(HarmoniaBinary.searchDescription)")
        let cases: [([String], String)] = [
            (["bench", "--scenario", "nope"], "unknown scenario 'nope'"),
            (["bench", "--fanout-width", "200", "--fanout-layers", "100"], "at most 10000 tasks"),
            (["bench", "--fanin-width", "9999"], "--fanin-width must be"),
            (["bench", "--layers", "101", "--layers-width", "100"], "at most 10000 tasks"),
            (["bench", "--synchronous", "off"], "--synchronous must be full or normal"),
            (["bench", "--starts-rate", "0"], "--starts-rate must be"),
            (["bench", "--starts-client", "curl"], "--starts-client must be socket or http-client"),
        ]
        for (arguments, message) in cases {
            let child = try ChildProcess(binary: binary, arguments: arguments)
            defer { child.kill() }
            let status = try await child.waitForExit(timeout: .seconds(60))
            #expect(status != 0, "\(arguments) should fail")
            #expect(child.stderr.text.contains(message), "\(arguments): \(child.stderr.text)")
            #expect(child.stdout.text.isEmpty, "\(arguments) printed results: \(child.stdout.text)")
        }
    }
}

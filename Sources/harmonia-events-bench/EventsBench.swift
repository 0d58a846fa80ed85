import AsyncHTTPClient
import Foundation
import HarmoniaClient
import HarmoniaCore
import HarmoniaEngine
import HarmoniaServer
import HarmoniaStorageSQLite
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// Commit-to-subscriber latency of the SSE streams with many subscribers on one execution.
///
/// One process: a real server on a loopback port (SQLite, the engine, the built-in
/// adapter), N AsyncHTTPClient SSE connections to one execution, and one in-process
/// broadcaster subscription that timestamps each event when it is published (right after
/// its commit). Latency = when a client parsed the event − when it was published, both on
/// the same monotonic clock. The execution starts with a gate task that sleeps while the
/// clients connect, so only live events (not log replay) are measured.
///
///     swift run -c release harmonia-events-bench [--subscribers 1000] [--tasks 50] [--interval 0.02]
@main
struct EventsBench {
    static func main() async throws {
        let options = Options(CommandLine.arguments.dropFirst())
        let clock = ContinuousClock()
        let origin = clock.now
        let elapsed: @Sendable () -> Double = { seconds(clock.now - origin) }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-events-bench-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let configuration = HarmoniaConfiguration(
            host: "127.0.0.1", port: 0, dataDirectory: directory.path, logLevel: .error, synchronous: .normal)
        let store = try SQLiteStore(path: configuration.databasePath, configuration: .init(synchronous: .normal))
        try await store.migrate()
        let engine = Engine(store: store, adapters: AdapterRegistry([BuiltinAdapter()]), logger: logger)
        try await engine.prepare()
        let (ports, portContinuation) = AsyncStream<Int>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let app = buildApplication(
            configuration: configuration, store: store, engine: engine, logger: logger,
            streaming: StreamingConfiguration(bufferSize: 4096),
            onServerRunning: { portContinuation.yield($0) })

        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = options.subscribers + 16
        httpConfiguration.timeout.connect = .seconds(30)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var portIterator = ports.makeAsyncIterator()
            guard let port = await portIterator.next() else { return }
            let base = "http://127.0.0.1:\(port)"
            let api = HarmoniaClient(baseURL: base, httpClient: http)

            let gate = 5.0 + Double(options.subscribers) * 0.01
            let workflow = try await api.createWorkflow(Self.workflow(tasks: options.tasks, interval: options.interval, gate: gate))
            let executionID = try await api.executeWorkflow(workflowID: workflow.workflowID).executionID

            // Publish times, from an in-process subscriber of the broadcaster.
            let record = Recorder()
            let reference = engine.events.subscribe(executionID: executionID, bufferSize: 100_000)
            group.addTask {
                for try await event in reference.events {
                    let now = elapsed()
                    record.published.withLock { $0[event.seq] = now }
                    record.stamped.withLock { $0[event.seq] = event.timestamp.timeIntervalSince1970 }
                }
            }

            let started = elapsed()
            for _ in 0..<options.subscribers {
                group.addTask {
                    var request = HTTPClientRequest(url: base + "/events/executions/\(executionID)")
                    request.headers.add(name: "Accept", value: "text/event-stream")
                    let response = try await http.execute(request, timeout: .hours(1))
                    var parser = SSEParser()
                    var local: [(Int64, Double, Double)] = []
                    for try await chunk in response.body {
                        let now = elapsed()
                        let wall = Date().timeIntervalSince1970
                        for message in parser.feed(chunk.readableBytesView) {
                            if message.event == "connected" { record.connected.add(1, ordering: .relaxed) }
                            if let id = message.id.flatMap({ Int64($0) }) { local.append((id, now, wall)) }
                        }
                    }
                    record.received.withLock { $0 += local }
                }
            }
            while record.connected.load(ordering: .relaxed) < options.subscribers {
                try await Task.sleep(for: .milliseconds(20))
            }
            let allConnected = elapsed()
            print("\(options.subscribers) subscribers connected in \(format(allConnected - started)) s; gate task ends at ~\(format(gate)) s after start")
            guard allConnected - started < gate - 0.5 else {
                print("error: subscribers took longer to connect than the gate task; raise the gate")
                throw CancellationError()
            }

            // Wait for the execution to finish, then for every client's stream to end.
            while try await !api.getExecution(id: executionID).execution.status.isTerminal {
                try await Task.sleep(for: .milliseconds(100))
            }
            let expected = try await store.events(executionID: executionID, afterSeq: 0, limit: 100_000).count
            let deadline = clock.now + .seconds(120)
            while record.received.withLock({ $0.count }) < expected * options.subscribers, clock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            reference.cancel()

            let publishTimes = record.published.withLock { $0 }
            let stamps = record.stamped.withLock { $0 }
            // Only live events: those published after every client was connected.
            var fromPublish: [Double] = []
            var fromStep: [Double] = []
            var replayed = 0
            for (seq, at, wall) in record.received.withLock({ $0 }) {
                guard let sent = publishTimes[seq], let stamp = stamps[seq] else { continue }
                if sent < allConnected { replayed += 1; continue }
                fromPublish.append(at - sent)
                fromStep.append(wall - stamp)
            }
            print("events in the log: \(expected); deliveries measured: \(fromPublish.count) (\(replayed) replayed before all were connected, not counted)")
            report("publish (after commit) → subscriber", fromPublish)
            report("event timestamp (scheduler step, before the group commit) → subscriber", fromStep)
            // The server, its engine and the clients go with the process.
            exit(0)
        }
    }

    /// A gate task that sleeps while clients connect, then a chain of `tasks` sleeps.
    static func workflow(tasks: Int, interval: Double, gate: Double) -> JSONValue {
        var list: [JSONValue] = [["name": "gate", "component": "harmonia", "action": "sleep", "input": ["seconds": .double(gate)]]]
        var previous = "gate"
        for index in 0..<tasks {
            let name = "t\(index)"
            list.append([
                "name": .string(name), "component": "harmonia", "action": "sleep",
                "input": ["seconds": .double(interval)], "depends_on": [.string(previous)],
            ])
            previous = name
        }
        return ["name": "events-bench", "tasks": .array(list)]
    }

    struct Options {
        var subscribers = 1000
        var tasks = 50
        var interval = 0.02

        init(_ arguments: ArraySlice<String>) {
            var iterator = arguments.makeIterator()
            while let argument = iterator.next() {
                let value = iterator.next()
                switch argument {
                case "--subscribers": subscribers = value.flatMap { Int($0) } ?? subscribers
                case "--tasks": tasks = value.flatMap { Int($0) } ?? tasks
                case "--interval": interval = value.flatMap { Double($0) } ?? interval
                default: print("unknown option \(argument) (use --subscribers, --tasks, --interval)")
                }
            }
        }
    }
}

/// What the clients and the reference subscriber record, shared across their tasks.
final class Recorder: Sendable {
    /// seq → when the broadcaster published it.
    let published = Mutex<[Int64: Double]>([:])
    /// seq → the event's own timestamp (the scheduler step that made it, before commit).
    let stamped = Mutex<[Int64: Double]>([:])
    /// (seq, when a client parsed it: monotonic and wall clock), every client's deliveries.
    let received = Mutex<[(Int64, Double, Double)]>([])
    let connected = Atomic<Int>(0)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func format(_ value: Double) -> String { String(format: "%.2f", value) }

/// Prints p50, p90, p99 and max of `samples` (seconds) in milliseconds.
func report(_ what: String, _ samples: [Double]) {
    let sorted = samples.sorted()
    func percentile(_ p: Double) -> Double {
        sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000
    }
    let numbers = String(
        format: "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms",
        percentile(0.5), percentile(0.9), percentile(0.99), (sorted.last ?? .nan) * 1000)
    print("\(what): \(numbers)")
}

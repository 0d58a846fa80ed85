import Foundation
import HarmoniaClient

/// Sends the `starts` schedule over blocking keep-alive connections, one thread each:
/// start n is sent at `origin + n × interval` by thread n mod `workers`, open loop.
///
/// Timing on the sending thread, right before the request is written and right after the
/// whole answer was read, leaves only the kernel's wake-up of that thread between the
/// server's answer and the measurement (see `BlockingHTTPConnection`). A thread that is
/// still waiting for an earlier answer sends late; `sent - scheduled` records by how much,
/// and the scenario reports it (`schedule_lag_*`).
struct SocketStartSchedule: Sendable {
    let host: String
    let port: Int
    let request: [UInt8]

    /// For `baseURL` when it is plain `http` to an IPv4 address or localhost; nil otherwise
    /// (the scenario then uses `StartRequester`).
    init?(baseURL: String, apiKey: String?, workflowID: String) {
        guard let components = URLComponents(string: baseURL), components.scheme == "http", let host = components.host,
            host == "localhost" || host.split(separator: ".").count == 4
        else { return nil }
        self.host = host
        port = components.port ?? 80
        let body = JSONValue.object(["workflow_id": .string(workflowID), "input": .emptyObject]).jsonBytes()
        var head = "POST \(components.path)/api/v1/executions HTTP/1.1\r\nHost: \(host):\(port)\r\n"
        head += "Content-Type: application/json\r\nAccept: application/json\r\n"
        if let apiKey { head += "Authorization: Bearer \(apiKey)\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        request = Array(head.utf8) + body
    }

    func run(total: Int, interval: Duration, origin: ContinuousClock.Instant, workers: Int) async throws
        -> [StartsScenario.StartRecord]
    {
        let count = max(1, min(workers, total))
        var connections: [BlockingHTTPConnection] = []
        for _ in 0..<count { connections.append(try BlockingHTTPConnection(host: host, port: port)) }
        return try await withThrowingTaskGroup(of: [StartsScenario.StartRecord].self) { group in
            for (worker, connection) in connections.enumerated() {
                let sender = Sender(connection: connection)
                group.addTask {
                    await withCheckedContinuation { continuation in
                        let thread = Thread {
                            continuation.resume(
                                returning: self.send(
                                    sender, indices: Array(stride(from: worker, to: total, by: count)), interval: interval,
                                    origin: origin))
                        }
                        thread.name = "bench-starts-\(worker)"
                        thread.start()
                    }
                }
            }
            var records: [StartsScenario.StartRecord] = []
            records.reserveCapacity(total)
            for try await part in group { records += part }
            return records
        }
    }

    /// One thread's share of the schedule.
    private func send(_ sender: Sender, indices: [Int], interval: Duration, origin: ContinuousClock.Instant)
        -> [StartsScenario.StartRecord]
    {
        let clock = ContinuousClock()
        var records: [StartsScenario.StartRecord] = []
        records.reserveCapacity(indices.count)
        for n in indices {
            let scheduled = origin + interval * n
            let wait = scheduled - clock.now
            if wait > .zero {
                let (seconds, attoseconds) = wait.components
                var time = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
                var remaining = timespec()
                while nanosleep(&time, &remaining) != 0, errno == EINTR { time = remaining }
            }
            let sent = clock.now
            do {
                let answer = try sender.connection.roundTrip(request)
                let acked = clock.now
                guard (200..<300).contains(answer.status) else {
                    let text = String(decoding: answer.body.prefix(500), as: UTF8.self)
                    throw HarmoniaError(.benchFailed, "POST /api/v1/executions answered HTTP \(answer.status): \(text)")
                }
                guard let id = StartRequester.executionID(in: answer.body) else {
                    throw HarmoniaError(.benchFailed, "POST /api/v1/executions answered without an execution_id")
                }
                records.append(StartsScenario.StartRecord(scheduled: scheduled, sent: sent, acked: acked, executionID: id))
            } catch {
                let now = clock.now
                records.append(StartsScenario.StartRecord(scheduled: scheduled, sent: sent, acked: now, error: "\(error)"))
                // A broken connection fails every later start of this thread the same way.
                if let replacement = try? BlockingHTTPConnection(host: host, port: port) { sender.connection = replacement }
            }
        }
        return records
    }

    /// The connection a thread owns; handed to exactly one thread.
    private final class Sender: @unchecked Sendable {
        var connection: BlockingHTTPConnection
        init(connection: BlockingHTTPConnection) { self.connection = connection }
    }
}

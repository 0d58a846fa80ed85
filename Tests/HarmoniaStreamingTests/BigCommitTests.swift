import Foundation
import HarmoniaClient
import HarmoniaCore
import HarmoniaEngine
import Testing

@testable import HarmoniaServer

/// Issue 15: one commit can publish thousands of events (a fan-out wave). A connection's
/// buffer is bounded by commits and bytes, so a reader that keeps up is never cut by one
/// big commit, while a reader that falls behind by whole commits still is, with the events
/// it already has delivered before the `lagged` reason.
@Suite(.timeLimit(.minutes(3)))
struct BigCommitTests {
    @Test("a reader that keeps up follows a 5,000-wide fan-out on the per-execution SSE stream without being cut")
    func promptReaderFollowsAWideFanOut() async throws {
        try await LiveServer.with { server in
            // The gate sleeps so the reader is connected (live, not replaying) when the wide
            // commits (5,001 and 5,001 events) are published.
            var tasks: [JSONValue] = [["name": "gate", "component": "harmonia", "action": "sleep", "input": ["seconds": 1.5]]]
            let wide = (0..<5000).map { JSONValue.string("w\($0)") }
            for id in wide { tasks.append(["name": id, "component": "harmonia", "action": "noop", "depends_on": ["gate"]]) }
            tasks.append(["name": "join", "component": "harmonia", "action": "noop", "depends_on": .array(wide)])
            let id = try await server.start(["name": "wide", "tasks": .array(tasks)])
            var client = try await SSETestClient.open(server, "/events/executions/\(id)")
            #expect(client.status == 200)
            let messages = try await client.readToEnd()
            #expect(!messages.contains { $0.event == "error" }, "the stream was cut: \(messages.last.map { "\($0)" } ?? "")")
            let events = try SSETestClient.events(messages).map(EventKey.init)
            let log = try await server.finishedLog(id).map(EventKey.init)
            #expect(log.count == 2 + 2 * 5002)
            #expect(events == log)
        }
    }

    @Test("a reader that does not keep up is cut with subscriber_lagged after the events it has, and resumes from last_seq without a gap")
    func slowReaderIsCutAndResumesWithoutGap() async throws {
        // 40 commits of 512 KB outputs (20 MB) overflow the unread socket whatever the
        // kernel's buffer sizes (loopback buffers grew to hold 16 × 256 KB whole once, and
        // nothing lagged); past 2 commits (or 16 KB beyond the one being written) the
        // connection lags. The grace is long enough for the reader, which reads only once
        // the execution has finished, to take the reason.
        let streaming = StreamingConfiguration(bufferSize: 2, maxBufferedBytes: 16 * 1024, lagGracePeriod: .seconds(60))
        try await LiveServer.with(streaming: streaming) { server in
            var tasks: [JSONValue] = [["name": "gate", "component": "harmonia", "action": "sleep", "input": ["seconds": 1]]]
            for i in 0..<40 {
                tasks.append([
                    "name": .string("e\(i)"), "component": "harmonia", "action": "echo", "input": ["message": "${input.blob}"],
                    "depends_on": [.string(i == 0 ? "gate" : "e\(i - 1)")],
                ])
            }
            let blob: JSONValue = ["blob": .string(String(repeating: "x", count: 512 * 1024))]
            let id = try await server.start(["name": "slow", "tasks": .array(tasks)], input: blob)
            var slow = try await SSETestClient.open(server, "/events/executions/\(id)")
            let log = try await server.finishedLog(id).map(EventKey.init)
            let messages = try await slow.readToEnd()
            let reason = try #require(messages.last, "the stream ended without a frame")
            #expect(reason.event == "error")
            let frame = try JSONValue.parse(reason.data)
            #expect(frame["code"] == "subscriber_lagged")
            let lastSeq = try #require(frame["last_seq"]?.intValue, "the lagged frame names where to resume")
            // The error frame keeps the last `id:` (SSE ids persist): leave it out.
            let before = try SSETestClient.events(messages.filter { $0.event != "error" }).map(EventKey.init)
            #expect(before.last.map { Int($0.seq) } == lastSeq)
            #expect(before.count < log.count, "the reader was cut before the end")

            var resumed = try await SSETestClient.open(server, "/events/executions/\(id)", lastEventID: Int64(lastSeq))
            let after = try SSETestClient.events(try await resumed.readToEnd()).map(EventKey.init)
            #expect(before + after == log)
        }
    }

    /// `count` events of one execution from `seq` on, as one commit.
    static func commit(_ count: Int, from seq: Int64, message: String = "") -> EventBatch {
        EventBatch(
            events: (0..<count).map { i in
                ExecutionEvent(
                    executionID: "e", seq: seq + Int64(i), type: .taskCompleted, taskID: "t\(i)", details: .emptyObject,
                    message: message, timestamp: Date(timeIntervalSince1970: 0))
            })
    }

    /// Offers `commits` to a feed all at once and, once the feed has taken `settled` of them
    /// in (the reader has not read anything yet: the slowest reader), reads it; returns the
    /// seqs read and whether `.lagged` came.
    static func feed(_ feed: LiveFeed, commits: [EventBatch], settled: Int) async throws -> (seqs: [Int64], lagged: Bool) {
        let (stream, continuation) = AsyncThrowingStream<EventBatch, any Error>.makeStream()
        let subscription = EventSubscription(batches: stream, cancel: { continuation.finish() })
        for commit in commits { continuation.yield(commit) }
        let pump = Task { try await feed.pump(subscription, grace: .seconds(30)) }
        defer { pump.cancel() }
        let deadline = ContinuousClock.now + .seconds(30)
        while feed.waitingCommits < settled, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
        #expect(feed.waitingCommits == settled, "the pump took \(feed.waitingCommits) commits in, expected \(settled)")
        let total = commits.reduce(0) { $0 + $1.events.count }
        var seqs: [Int64] = []
        for await input in feed.inputs {
            feed.took(input)
            switch input {
            case .event(let event):
                seqs.append(event.seq)
                if seqs.count == total { return (seqs, false) }
            case .lagged:
                return (seqs, true)
            default:
                continue
            }
        }
        return (seqs, false)
    }

    @Test("two commits of 5,001 events each fit a buffer of 4 commits: nothing is cut")
    func bigCommitsAreNotCountedAsManyEvents() async throws {
        let result = try await Self.feed(LiveFeed(bufferSize: 4), commits: [Self.commit(5001, from: 1), Self.commit(5001, from: 5002)], settled: 2)
        #expect(!result.lagged)
        #expect(result.seqs == Array(1...10_002))
    }

    @Test("a reader more than its bound of commits behind lags after the commits it has, whole")
    func tooManyCommitsBehindLags() async throws {
        let commits = (0..<6).map { Self.commit(3, from: Int64($0 * 3 + 1)) }
        let result = try await Self.feed(LiveFeed(bufferSize: 3), commits: commits, settled: 4)
        #expect(result.lagged)
        #expect(result.seqs == Array(1...9), "the three commits that fit, then the reason")
    }

    @Test("past the byte bound beyond the commit being written, a reader lags; one commit alone always fits")
    func tooManyBytesBehindLags() async throws {
        let big = String(repeating: "x", count: 1000)
        // 50 KB alone fits although it is over the 10 KB bound; a small one after it fits;
        // the next 50 KB puts 50 KB beyond the oldest commit: lag.
        let commits = [Self.commit(50, from: 1, message: big), Self.commit(1, from: 51), Self.commit(50, from: 52, message: big)]
        let result = try await Self.feed(LiveFeed(bufferSize: 100, maxBytes: 10_000), commits: commits, settled: 3)
        #expect(result.lagged)
        #expect(result.seqs == Array(1...51))
    }
}

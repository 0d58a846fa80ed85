import Foundation
import HarmoniaClient
import HarmoniaCore
import NIOCore
import Testing

@testable import HarmoniaServer

/// The pure parts: cursor decisions, client frame parsing, SSE framing both ways.
struct StreamingUnitTests {
    @Test func cursorSendsSkipsAndFillsGaps() {
        var cursor = EventCursor(after: 3)
        #expect(cursor.decide(2) == .skip)
        #expect(cursor.decide(3) == .skip)
        #expect(cursor.decide(4) == .send)
        #expect(cursor.decide(7) == .fillGap(after: 3, before: 7))
        cursor.sent(4)
        #expect(cursor.lastSeq == 4)
        cursor.sent(2)
        #expect(cursor.lastSeq == 4)
        cursor.reset(to: 1)
        #expect(cursor.decide(2) == .send)
    }

    @Test(arguments: [
        (#"{"type":"ping"}"#, ClientFrame.ping),
        (#"{"type":"unsubscribe"}"#, .unsubscribe),
        (#"{"type":"resume","after_seq":12}"#, .resume(afterSeq: 12)),
        (#"{"type":"resume","afterSeq":0}"#, .resume(afterSeq: 0)),
    ])
    func clientFramesParse(text: String, expected: ClientFrame) {
        #expect(ClientFrame.parse(text) == expected)
    }

    @Test(arguments: ["nope", "[]", #"{"kind":"ping"}"#, #"{"type":"dance"}"#, #"{"type":"resume"}"#, #"{"type":"resume","after_seq":-1}"#])
    func badClientFramesAreInvalidWithAReason(text: String) {
        guard case .invalid(let reason) = ClientFrame.parse(text) else {
            Issue.record("\(text) parsed as a valid frame")
            return
        }
        #expect(!reason.isEmpty)
    }

    @Test func sseFramesRoundTripThroughTheClientParserInAnySplit() throws {
        let event = ExecutionEvent(
            executionID: "e1", seq: 7, type: .taskCompleted, taskID: "a", details: ["duration": 0.5, "output": ["x": "line1\nline2"]],
            message: "task a completed", timestamp: Date(timeIntervalSince1970: 1_700_000_000.5))
        var text = String(buffer: SSEFormat.retry(milliseconds: 2000))
        text += String(buffer: SSEFormat.frame(event: "connected", data: #"{"type":"connected"}"#))
        text += String(buffer: SSEFormat.keepalive)
        text += String(buffer: SSEFormat.frame(id: event.seq, event: event.type.rawValue, data: StreamFrames.event(event)))
        text += String(buffer: SSEFormat.frame(event: "multi", data: "one\ntwo"))
        text += String(buffer: SSEFormat.frame(event: "breaks", data: "a\r\nb\rc\n\nd"))
        text += String(buffer: SSEFormat.frame(event: "empty", data: ""))
        let bytes = Array(text.utf8)
        for split in [1, 2, 7, 64, bytes.count] {
            var parser = SSEParser()
            var messages: [SSEParser.Message] = []
            var index = 0
            while index < bytes.count {
                messages += parser.feed(bytes[index..<min(index + split, bytes.count)])
                index += split
            }
            #expect(messages.map(\.event) == ["connected", "task_completed", "multi", "breaks", "empty"], "split \(split)")
            #expect(parser.comments == 1)
            #expect(messages[1].id == "7")
            #expect(messages[2].data == "one\ntwo")
            // CRLF, CR and LF each end one data line; the parser joins them with LF.
            #expect(messages[3].data == "a\nb\nc\n\nd")
            #expect(messages[4].data == "")
            let decoded = try APICoding.makeDecoder().decode(ExecutionEvent.self, from: Data(messages[1].data.utf8))
            #expect(decoded == event)
        }
    }

    @Test func eventFramesHaveEveryFieldOfTheContract() throws {
        let event = ExecutionEvent(
            executionID: "e1", seq: 1, type: .workflowStarted, message: "started", timestamp: Date(timeIntervalSince1970: 0))
        let frame = try JSONValue.parse(Array(StreamFrames.event(event).utf8))
        #expect(Set(frame.objectValue.map { Array($0.keys) } ?? []) == ["event_type", "execution_id", "task_id", "details", "message", "timestamp", "seq"])
        #expect(frame["task_id"] == .null)
        #expect(frame["timestamp"] == "1970-01-01T00:00:00.000Z")
    }
}

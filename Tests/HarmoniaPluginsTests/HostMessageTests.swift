import HarmoniaCore
import Testing

@testable import HarmoniaPlugins

/// The frames between the server and a plugin host child: every message survives the
/// round trip, and a truncated or unknown frame is an error, never a crash.
@Suite(.timeLimit(.minutes(1)))
struct HostMessageTests {
    static let messages: [HostMessage] = [
        .instanceNew(component: "faults", config: Array(#"{"component":"faults"}"#.utf8)),
        .invoke(id: 0xDEAD_BEEF_0102_0304, action: "upper", input: Array(#"{"text":"é"}"#.utf8), context: []),
        .cancel(id: 7),
        .ping(nonce: 1),
        .httpResponse(
            id: 9, answer: HostHTTPAnswer(transportError: 2, status: -1, headers: Array("{}".utf8), body: [0, 255], error: "late")),
        .hello(record: Array("{}".utf8), failure: nil),
        .hello(record: [], failure: "untrusted file"),
        .instanceResult(failure: nil),
        .instanceResult(failure: "bad endpoint"),
        .complete(id: 3, result: .success(["n": 1, "s": "x"])),
        .complete(id: 4, result: .failure(TaskFailure(code: "boom", message: "m", retryable: true, details: ["k": true]))),
        .complete(id: 5, result: .failure(TaskFailure(code: "boom", message: "", retryable: false))),
        .progress(id: 3, message: "half"),
        .log(invocation: 0, level: 4, message: "hello"),
        .pong(nonce: .max),
        .httpRequest(
            id: 11,
            request: HostHTTPRequest(
                invocation: 3, method: "POST", url: "http://127.0.0.1:1/x", headers: [], body: Array("b".utf8), timeoutMilliseconds: 250)),
    ]

    @Test(arguments: messages)
    func roundTrips(message: HostMessage) throws {
        let frame = message.encoded()
        #expect(FrameReader.frameLength(frame, at: 0) == frame.count - 4)
        #expect(try HostMessage.decode(frame[4...]) == message)
    }

    @Test(arguments: messages)
    func aTruncatedFrameIsAnError(message: HostMessage) {
        let frame = message.encoded()
        for cut in 4..<(frame.count - 1) where cut % 3 == 0 || cut == frame.count - 2 {
            #expect(throws: HostProtocolError.self) { try HostMessage.decode(frame[4..<cut]) }
        }
    }

    @Test func anUnknownKindIsAnError() {
        var frame = HostMessage.ping(nonce: 1).encoded()
        frame[4] = 200
        #expect(throws: HostProtocolError.self) { try HostMessage.decode(frame[4...]) }
    }
}

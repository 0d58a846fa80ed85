import HarmoniaCore

/// A frame a WebSocket client sends, parsed; anything unusable becomes `.invalid` with a
/// reason the server echoes in an error frame (the connection stays up).
enum ClientFrame: Sendable, Hashable {
    /// `{"type": "ping"}`
    case ping
    /// `{"type": "unsubscribe"}`
    case unsubscribe
    /// `{"type": "resume", "after_seq": N}`: replay the log after N, then carry on live.
    case resume(afterSeq: Int64)
    case invalid(String)

    /// Parses a text frame. Accepts `afterSeq` too, as every request does.
    static func parse(_ text: String) -> ClientFrame {
        guard let value = try? JSONValue.parse(Array(text.utf8)) else {
            return .invalid("the frame is not valid JSON; send {\"type\": \"ping\" | \"unsubscribe\" | \"resume\"}")
        }
        guard let object = value.objectValue, let type = object["type"]?.stringValue else {
            return .invalid("the frame must be a JSON object with a string \"type\"")
        }
        switch type {
        case "ping":
            return .ping
        case "unsubscribe":
            return .unsubscribe
        case "resume":
            guard let seq = (object["after_seq"] ?? object["afterSeq"])?.intValue, seq >= 0 else {
                return .invalid("resume needs \"after_seq\": a non-negative integer")
            }
            return .resume(afterSeq: Int64(seq))
        default:
            return .invalid("unknown frame type '\(type)'; use ping, unsubscribe or resume")
        }
    }
}

import Logging

/// The log handler of a plugin host child: every record becomes a `log` frame, and the
/// server logs it through its own logger for the plugin (same destination, format and
/// metadata as an in-process plugin's log).
struct ForwardingLogHandler: LogHandler {
    let channel: FrameChannel
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        for (key, value) in event.metadata ?? [:] { merged[key] = value }
        // The server adds its own plugin, component and action keys.
        let invocation = merged.removeValue(forKey: "invocation").flatMap { UInt64("\($0)") } ?? 0
        for key in ["plugin", "component", "action"] { merged[key] = nil }
        var text = "\(event.message)"
        if !merged.isEmpty {
            text += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        channel.send(.log(invocation: invocation, level: Self.code(event.level), message: text))
    }

    static let levels: [Logger.Level] = [.trace, .debug, .info, .notice, .warning, .error, .critical]

    static func code(_ level: Logger.Level) -> UInt8 { UInt8(levels.firstIndex(of: level) ?? 4) }

    static func level(_ code: UInt8) -> Logger.Level { Int(code) < levels.count ? levels[Int(code)] : .error }
}

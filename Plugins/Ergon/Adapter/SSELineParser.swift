/// Splits a Server-Sent Events body into the `data` payloads of its events.
///
/// Ergon's `/api/ergon/sandbox/execute` answers with `data: {json}` events separated by
/// blank lines. The parser follows the SSE rules that matter here: `\n`, `\r\n` and `\r`
/// end lines, a blank line dispatches the event, several `data:` lines of one event are
/// joined with `\n`, one space after the colon is dropped, comments (`:`) and other fields
/// (`event`, `id`, `retry`) are ignored. A pure value type: feed it text, read events.
struct SSELineParser: Sendable {
    private var pendingData: [String] = []
    private var hasData = false
    private var carry = ""

    init() {}

    /// Parses a whole body at once.
    static func events(in body: String) -> [String] {
        var parser = SSELineParser()
        var events = parser.feed(body)
        events += parser.finish()
        return events
    }

    /// Consumes a chunk of the body and returns the events it completed.
    mutating func feed(_ chunk: String) -> [String] {
        var text = carry + chunk
        carry = ""
        // A trailing "\r" may be the first half of "\r\n": keep it for the next chunk.
        if text.hasSuffix("\r") {
            text.removeLast()
            carry = "\r"
        }
        var events: [String] = []
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        // The last piece has no line end yet.
        carry = String(lines.removeLast()) + carry
        for line in lines {
            if let event = process(line: Substring(line)) { events.append(event) }
        }
        return events
    }

    /// Ends the body: a final event without its blank line still counts.
    mutating func finish() -> [String] {
        var events: [String] = []
        let rest = carry.replacingCarriageReturns()
        carry = ""
        if !rest.isEmpty, let event = process(line: Substring(rest)) { events.append(event) }
        if let event = process(line: "") { events.append(event) }
        return events
    }

    private mutating func process(line: Substring) -> String? {
        if line.isEmpty {
            defer {
                pendingData = []
                hasData = false
            }
            return hasData ? pendingData.joined(separator: "\n") : nil
        }
        if line.hasPrefix(":") { return nil }
        let field: Substring
        var value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            value = line[line.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
        } else {
            field = line
            value = ""
        }
        if field == "data" {
            pendingData.append(String(value))
            hasData = true
        }
        return nil
    }
}

extension String {
    fileprivate func replacingCarriageReturns() -> String {
        var copy = self
        while copy.hasSuffix("\r") { copy.removeLast() }
        return copy
    }
}

import Testing

@testable import ErgonAdapter

/// The SSE parsing and the exit-marker fold behind Ergon's execute stream.
struct SSELineParserTests {
    @Test func eventsAreSplitOnBlankLinesWithAnyLineEnding() {
        let body = "data: {\"line\": \"a\"}\n\ndata: {\"line\": \"b\"}\r\n\r\n: a comment\n\nevent: x\ndata: one\ndata: two\n\ndata:last"
        #expect(SSELineParser.events(in: body) == ["{\"line\": \"a\"}", "{\"line\": \"b\"}", "one\ntwo", "last"])
    }

    @Test func chunksSplitAnywhereGiveTheSameEvents() {
        let body = "data: {\"line\": \"[stdout] hi\"}\r\n\r\ndata: {\"done\": true}\r\n\r\n"
        for cut in body.indices {
            var parser = SSELineParser()
            var events = parser.feed(String(body[..<cut]))
            events += parser.feed(String(body[cut...]))
            events += parser.finish()
            #expect(events == ["{\"line\": \"[stdout] hi\"}", "{\"done\": true}"])
        }
    }

    @Test func theTranscriptTakesTheStatusFromTheMarkerAndKeepsStreamsApart() {
        let transcript = SandboxTranscript(events: [
            #"{"line": "[stdout] Hello"}"#, #"{"line": "[stderr] warning"}"#, #"{"line": "[stdout] __HARMONIA_EXIT__=3"}"#,
            #"{"error": "late"}"#, #"{"done": true}"#,
        ])
        #expect(transcript.exitCode == 3)
        #expect(transcript.stdoutLines == ["Hello"])
        #expect(transcript.stderrLines == ["warning"])
        #expect(transcript.errors == ["late"])
        #expect(transcript.done)
        #expect(transcript.result.output()["result"] == "Hello")
    }

    @Test func wordsAreQuotedForTheShell() {
        #expect(CommandRequest.shellQuote("plain-word_1.txt") == "plain-word_1.txt")
        #expect(CommandRequest.shellQuote("two words") == "'two words'")
        #expect(CommandRequest.shellQuote("it's") == "'it'\\''s'")
        #expect(CommandRequest.shellQuote("") == "''")
        #expect(CommandRequest.shellQuote("$HOME") == "'$HOME'")
    }
}

import HarmoniaPluginKit
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
        #expect(transcript.result.exitCode == 3)
        #expect(transcript.result.stdout == "Hello\n")
        #expect(transcript.stderrLines == ["warning"])
        #expect(transcript.errors == ["late"])
        #expect(transcript.done)
        #expect(transcript.result.output()["result"] == "Hello")
    }

    @Test func aMarkerAfterOutputWithoutANewlineEndsTheLastLine() {
        // `printf 'a\nb'` then the marker: Ergon delivers `a`, `b__HARMONIA_EXIT__=0`.
        let result = SandboxTranscript(events: [#"{"line": "[stdout] a"}"#, #"{"line": "[stdout] b__HARMONIA_EXIT__=0"}"#]).result
        #expect(result.exitCode == 0)
        #expect(result.stdout == "a\nb")
    }

    @Test func aMarkerCutIntoPiecesIsFound() {
        // Docker's provider splits per chunk read: the marker can span several `[stdout]` lines.
        let pieces = ["Hello", "__HARMO", "NIA_EXIT_", "_=1", "2"]
        let found = ExitMarker.find(in: pieces)
        #expect(found?.firstPiece == 1)
        #expect(found?.before == "")
        #expect(found?.status == 12)
        let glued = ExitMarker.find(in: ["Hel", "lo__HARMONIA_EX", "IT__=0"])
        #expect(glued?.firstPiece == 1)
        #expect(glued?.before == "lo")
        #expect(glued?.status == 0)
    }

    @Test func aMarkerNotAtTheEndIsOutputNotAStatus() {
        // The command printed the marker text itself, then more: no status.
        #expect(ExitMarker.find(in: ["__HARMONIA_EXIT__=0", "more output"]) == nil)
        #expect(ExitMarker.find(in: ["__HARMONIA_EXIT__=x"]) == nil)
        #expect(ExitMarker.find(in: []) == nil)
    }

    @Test func wordsAreQuotedForTheShell() {
        #expect(CommandRequest.shellQuote("plain-word_1.txt") == "plain-word_1.txt")
        #expect(CommandRequest.shellQuote("two words") == "'two words'")
        #expect(CommandRequest.shellQuote("it's") == "'it'\\''s'")
        #expect(CommandRequest.shellQuote("") == "''")
        #expect(CommandRequest.shellQuote("$HOME") == "'$HOME'")
    }
}

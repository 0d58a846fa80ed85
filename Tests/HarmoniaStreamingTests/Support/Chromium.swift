import AsyncHTTPClient
import Foundation
import HarmoniaSpawn
import HarmoniaCore
import HummingbirdWSClient
import Logging
import NIOCore

/// Headless Chromium (Debian's `chromium` package) driven over the DevTools protocol.
///
/// The test starts the browser itself with `--remote-debugging-port=0`, reads the port
/// Chromium picked from `DevToolsActivePort`, and talks CDP over a WebSocket with the same
/// client the stream tests use. `.ci/run` installs the package; without it the browser
/// test is skipped with a loud message.
final class Chromium: Sendable {
    static let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]

    /// The browser binary, nil when none is installed.
    static var path: String? {
        if let path = ProcessInfo.processInfo.environment["HARMONIA_CHROMIUM"], FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Started with `posix_spawn`, not Foundation's `Process` (see `SpawnedProcess`).
    private let process: SpawnedProcess
    let profile: URL

    init(binary: String) throws {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-chromium-\(UUID())")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        process = try SpawnedProcess(
            executable: binary,
            arguments: [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--remote-debugging-port=0",
                // The WebSocket client sends an Origin header, which DevTools refuses by default.
                "--remote-allow-origins=*",
                "--user-data-dir=\(profile.path)", "--window-size=1400,1000", "about:blank",
            ],
            environment: ProcessInfo.processInfo.environment, stdout: .discard, stderr: .discard)
    }

    /// Ends the browser (the process this test started, by its handle) and removes its profile.
    func stop() {
        process.send(SIGTERM)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: profile)
    }

    /// The DevTools WebSocket URL of the first page, once the browser is listening.
    func pageWebSocketURL(timeout: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        let portFile = profile.appendingPathComponent("DevToolsActivePort")
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOf: portFile, encoding: .utf8),
                let port = text.split(separator: "\n").first.flatMap({ Int($0) })
            {
                let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/json/list")
                if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(5)),
                    let body = try? await response.body.collect(upTo: 1 << 20),
                    let targets = try? JSONValue.parse(Array(buffer: body)).arrayValue,
                    let page = targets.first(where: { $0["type"] == "page" }),
                    let url = page["webSocketDebuggerUrl"]?.stringValue
                {
                    return url
                }
            }
            guard process.isRunning else { throw ChromiumError("chromium exited (status \(process.ending?.shellStatus ?? -1))") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ChromiumError("chromium did not open its DevTools port within \(timeout)")
    }
}

struct ChromiumError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A DevTools protocol session on one page: commands with ids, answers matched by id,
/// events ignored.
struct CDPSession {
    let outbound: WebSocketOutboundWriter
    var inbound: WebSocketInboundMessageStream.AsyncIterator
    private var nextID = 1

    init(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) {
        self.outbound = outbound
        self.inbound = inbound.messages(maxSize: 1 << 26).makeAsyncIterator()
    }

    @discardableResult
    mutating func send(_ method: String, _ params: JSONValue = .emptyObject) async throws -> JSONValue {
        let id = nextID
        nextID += 1
        let command: JSONValue = ["id": .integer(id), "method": .string(method), "params": params]
        try await outbound.write(.text(command.jsonString()))
        while let message = try await inbound.next() {
            guard case .text(let text) = message, let value = try? JSONValue.parse(Array(text.utf8)),
                value["id"]?.intValue == id
            else { continue }
            if let error = value["error"] { throw ChromiumError("\(method) failed: \(error.jsonString())") }
            return value["result"] ?? .null
        }
        throw ChromiumError("the DevTools connection closed during \(method)")
    }

    /// Evaluates a JavaScript expression in the page and returns its value.
    mutating func evaluate(_ expression: String) async throws -> JSONValue {
        let result = try await send(
            "Runtime.evaluate", ["expression": .string(expression), "returnByValue": true, "awaitPromise": true])
        if let exception = result["exceptionDetails"] { throw ChromiumError("script failed: \(exception.jsonString())") }
        return result["result"]?["value"] ?? .null
    }

    /// Polls `condition` (a JavaScript expression) until it is true.
    mutating func waitUntil(_ what: String, _ condition: String, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await evaluate(condition) != true {
            guard ContinuousClock.now < deadline else { throw ChromiumError("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

extension Chromium {
    /// Starts a headless Chromium, opens its page over the DevTools WebSocket at
    /// `width` × `height`, navigates to `url` and runs `body` with the page; the browser is
    /// stopped afterwards. What each dashboard test otherwise set up by hand.
    static func withPage(
        binary: String, url: String, width: Int = 1400, height: Int = 900,
        _ body: @escaping @Sendable (inout CDPSession) async throws -> Void
    ) async throws {
        let browser = try Chromium(binary: binary)
        defer { browser.stop() }
        let pageURL = try await browser.pageWebSocketURL()
        var logger = Logger(label: "cdp")
        logger.logLevel = .warning
        var configuration = WebSocketClientConfiguration()
        configuration.maxFrameSize = 1 << 26
        try await WebSocketClient.connect(url: pageURL, configuration: configuration, logger: logger) { inbound, outbound, _ in
            var page = CDPSession(inbound: inbound, outbound: outbound)
            try await page.send(
                "Emulation.setDeviceMetricsOverride",
                ["width": .integer(width), "height": .integer(height), "deviceScaleFactor": 1, "mobile": false])
            try await page.send("Page.navigate", ["url": .string(url)])
            try await body(&page)
        }
    }
}

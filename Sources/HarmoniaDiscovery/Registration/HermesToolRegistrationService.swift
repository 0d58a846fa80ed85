import Foundation
import HarmoniaCore
import Logging
import ServiceLifecycle
import Synchronization

/// Publishes Harmonia's MCP tools in Hermes' tool registry the Tekton way: at start-up it
/// posts each tool (`POST /api/mcp/v2/tools`, with an `endpoint` this server serves), then
/// every `pollInterval` reads the registry and posts again the tools it no longer lists (a
/// restarted Hermes forgets them, as it forgets components), and at graceful shutdown it
/// deletes them (`DELETE /api/mcp/v2/tools/{id}`, bounded by `unregisterTimeout`).
///
/// Like component registration it never blocks start-up and backs off while Hermes is
/// unreachable.
public final class HermesToolRegistrationService: Service, Sendable {
    let client: HermesClient
    let configuration: HermesConfiguration
    /// The tools, once Harmonia's endpoint is known (after the server listens).
    let tools: @Sendable () async throws -> [HermesTool]
    let logger: Logger
    private let posted = Mutex<Set<String>>([])
    private let posts = Mutex(0)

    public init(
        client: HermesClient, configuration: HermesConfiguration, tools: @escaping @Sendable () async throws -> [HermesTool],
        logger: Logger = Logger(label: "harmonia.hermes.tools")
    ) {
        self.client = client
        self.configuration = configuration
        self.tools = tools
        self.logger = logger
    }

    /// The ids Hermes listed at the latest check (or accepted since).
    public var registeredToolIDs: Set<String> { posted.withLock { $0 } }

    /// How many tool posts Hermes accepted in all (re-posts included).
    public var postCount: Int { posts.withLock { $0 } }

    public func run() async throws {
        guard let tools = try? await cancelWhenGracefulShutdown({ try await self.tools() }) else { return }
        let backoff = Backoff(initial: configuration.initialBackoff, maximum: configuration.maxBackoff)
        var failures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let delay: Duration
            do {
                try await reconcile(tools)
                failures = 0
                delay = configuration.pollInterval
            } catch {
                failures += 1
                let message = (error as? HarmoniaError)?.message ?? String(describing: error)
                logger.log(
                    level: failures == 1 ? .warning : .debug, "publishing MCP tools in Hermes failed; retrying",
                    metadata: ["error": "\(message)"])
                delay = backoff.delay(afterFailures: failures)
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
        }
        await unregister(tools)
    }

    /// Posts every tool Hermes does not list.
    func reconcile(_ tools: [HermesTool]) async throws {
        let listed = try await client.toolIDs()
        let missing = tools.filter { !listed.contains($0.id) }
        var present = listed.intersection(tools.map(\.id))
        for tool in missing {
            present.insert(try await client.registerTool(tool))
            posts.withLock { $0 += 1 }
        }
        let known = present
        posted.withLock { $0 = known }
        if !missing.isEmpty {
            logger.info("published MCP tools in Hermes", metadata: ["tools": "\(missing.count)", "hermes": "\(client.baseURL)"])
        }
    }

    /// Best effort: shutdown must not hang on Hermes. Every tool of ours is removed, not
    /// only those the last publishing pass recorded: a pass still under way at shutdown (after
    /// Hermes forgot them) has posted tools it has not recorded yet. A tool Hermes does not
    /// have is skipped; Hermes unreachable ends the attempt.
    private func unregister(_ tools: [HermesTool]) async {
        let ids = posted.withLock { $0 }
        guard !ids.isEmpty || posts.withLock({ $0 }) > 0 else { return }
        let client = HermesClient(url: client.baseURL, httpClient: client.httpClient, timeout: configuration.unregisterTimeout)
        var removed = 0
        for tool in tools {
            do {
                try await client.unregisterTool(id: tool.id)
                removed += 1
            } catch let error as HarmoniaError where error.code == .hermesRejected {
                continue  // not there (404) or refused: nothing to remove
            } catch {
                logger.warning("could not remove an MCP tool from Hermes", metadata: ["tool": "\(tool.id)"])
                break
            }
        }
        posted.withLock { $0 = [] }
        logger.info("removed MCP tools from Hermes", metadata: ["tools": "\(removed)"])
    }
}

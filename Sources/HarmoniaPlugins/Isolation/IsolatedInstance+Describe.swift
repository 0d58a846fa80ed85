import Dispatch
import Foundation
import HarmoniaSpawn
import Logging
import Synchronization

/// A plugin host child that has loaded its library and described it (`hello`), serving no
/// instance yet. Loading a file whose components run in children starts one of these to
/// read the description; the first component that runs in a child adopts it
/// (`IsolatedInstance.start(adopting:)`), so describing a file costs no child of its own.
/// One nobody adopts is stopped with `discard()`.
final class LaunchedHost: Sendable {
    let connection: HostConnection
    let mailbox: HandshakeMailbox
    let route: HostRoute
    /// The file as the child loaded it.
    let record: PluginRecord

    init(connection: HostConnection, mailbox: HandshakeMailbox, route: HostRoute, record: PluginRecord) {
        self.connection = connection
        self.mailbox = mailbox
        self.route = route
        self.record = record
    }

    /// Nobody needs it: the child exits at end of file (killed if still there after 2 s).
    func discard() {
        connection.stop(grace: .seconds(2))
    }
}

/// Where a child's messages go: the instance that adopted the child, none before.
final class HostRoute: Sendable {
    private struct Target {
        weak var instance: IsolatedInstance?
    }

    private let target = Mutex(Target())

    func adopt(_ instance: IsolatedInstance) {
        target.withLock { $0.instance = instance }
    }

    var instance: IsolatedInstance? { target.withLock { $0.instance } }
}

extension IsolatedInstance {
    /// The record of the plugin file at `path` as a plugin host child loads it (trust
    /// check, `dlopen`, handshake, `on_init` all happen there), without loading it here,
    /// with the child left running for the first of its components to adopt.
    static func describe(path: String, configuration: PluginsConfiguration, logger: Logger) -> Result<LaunchedHost, HostStartError> {
        launch(path: path, configuration: configuration, logger: logger)
    }

    /// Starts a plugin host child for the library at `path` and waits for its `hello`.
    ///
    /// The child's messages go to whichever instance adopts it (`HostRoute`); its start-up
    /// answers (`hello`, `instanceResult`) to the mailbox the starting thread waits on; log
    /// lines from before any adoption (the plugin's `on_init`) to `logger`. When the child
    /// closes its end or breaks the protocol it is killed, which runs the crash path of the
    /// instance that adopted it.
    static func launch(path: String, configuration: PluginsConfiguration, logger: Logger) -> Result<LaunchedHost, HostStartError> {
        let connection: HostConnection
        do {
            connection = try HostConnection(
                library: path, settings: configuration.isolationSettings, configuration: configuration, logger: logger)
        } catch let error as HostStartError {
            return .failure(error)
        } catch {
            return .failure(HostStartError(reason: "\(error)"))
        }
        let mailbox = HandshakeMailbox()
        let route = HostRoute()
        connection.channel.startReading(
            name: "harmonia-host-\(connection.process.pid)",
            handle: { message in
                switch message {
                case .hello, .instanceResult:
                    mailbox.put(message)
                default:
                    if let instance = route.instance {
                        instance.receive(message, from: connection)
                    } else if case .log(_, let level, let text) = message {
                        logger.log(level: ForwardingLogHandler.level(level), "\(text)", metadata: ["plugin_file": "\(path)"])
                    }
                }
            },
            ended: { reason in
                mailbox.close()
                // The child closed its end or sent garbage: it is of no use any more; ending
                // it runs the crash path, with what went wrong as the reason.
                guard let reason else {
                    // End of file: usually the child is exiting (a crash closes the socket
                    // first); one still there a second later is killed.
                    DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(1)) {
                        guard connection.process.isRunning else { return }
                        connection.killReason.withLock {
                            if $0 == nil { $0 = "its plugin host (pid \(connection.process.pid)) closed its connection and was killed" }
                        }
                        connection.process.send(SIGKILL)
                    }
                    return
                }
                guard connection.process.isRunning else { return }
                let what = "its plugin host (pid \(connection.process.pid)) broke the protocol (\(reason)) and was killed"
                connection.killReason.withLock { if $0 == nil { $0 = what } }
                (route.instance?.logger ?? logger).error("\(what)")
                connection.process.send(SIGKILL)
            })
        let timeout = configuration.isolationSettings.startTimeout
        let answer = mailbox.next(by: .now() + .milliseconds(Int(HostConnection.milliseconds(timeout))))
        func fail(_ reason: String) -> Result<LaunchedHost, HostStartError> {
            connection.stop(grace: .seconds(2))
            return .failure(HostStartError(reason: reason))
        }
        switch answer {
        case .hello(let bytes, nil)?:
            guard let record = try? JSONDecoder().decode(PluginRecord.self, from: Data(bytes)) else {
                return fail("the plugin host sent an unreadable description of \(path)")
            }
            logger.debug("plugin host (pid \(connection.process.pid)) loaded \(path)")
            return .success(LaunchedHost(connection: connection, mailbox: mailbox, route: route, record: record))
        case .hello(_, let failure?)?:
            return fail(failure)
        default:
            // Ended before its hello, or no hello by the deadline: stopped (killed after 2 s).
            connection.stop(grace: .seconds(2))
            let ending = connection.process.waitUntilExit()
            return .failure(HostStartError(reason: "the plugin host could not load \(path) within \(timeout): \(connection.describe(ending))"))
        }
    }
}

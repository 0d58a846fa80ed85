import Dispatch
import Foundation
import HarmoniaSpawn
import Logging

extension IsolatedInstance {
    /// The record of the plugin file at `path` as a plugin host child loads it (trust
    /// check, `dlopen`, handshake, `on_init` all happen there), without loading it here.
    /// The child is stopped again; components get children of their own.
    static func describe(path: String, configuration: PluginsConfiguration, logger: Logger) -> Result<PluginRecord, HostStartError> {
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
        connection.channel.startReading(
            name: "harmonia-host-describe-\(connection.process.pid)",
            handle: { message in
                if case .log(_, let level, let text) = message {
                    logger.log(level: ForwardingLogHandler.level(level), "\(text)", metadata: ["plugin_file": "\(path)"])
                } else {
                    mailbox.put(message)
                }
            },
            ended: { _ in mailbox.close() })
        let timeout = configuration.isolationSettings.startTimeout
        let answer = mailbox.next(by: .now() + .milliseconds(Int(HostConnection.milliseconds(timeout))))
        connection.stop(grace: .seconds(2))
        switch answer {
        case .hello(let bytes, nil)?:
            guard let record = try? JSONDecoder().decode(PluginRecord.self, from: Data(bytes)) else {
                return .failure(HostStartError(reason: "the plugin host sent an unreadable description of \(path)"))
            }
            return .success(record)
        case .hello(_, let failure?)?:
            return .failure(HostStartError(reason: failure))
        default:
            let ending = connection.process.waitUntilExit()
            return .failure(HostStartError(reason: "the plugin host could not load \(path): \(connection.describe(ending))"))
        }
    }
}

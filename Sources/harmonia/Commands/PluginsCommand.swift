import ArgumentParser
import Foundation
import HarmoniaClient
import HarmoniaPlugins
import HarmoniaServer
import NIOHTTP1

/// `harmonia plugins ...`: the server's components and their plugin files, and a local
/// check of one plugin file.
struct PluginsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the server's components and plugins, or inspect a plugin file.",
        subcommands: [List.self, Inspect.self]
    )

    /// `harmonia plugins list`: `GET /api/v1/components` of a running server.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the server's components, their plugin files, and refused plugins.")

        @Flag(help: "Print the server's answer as JSON.")
        var json = false

        @OptionGroup var client: ClientOptions

        func run() async throws {
            let list = try await client.withClient {
                try await $0.send(ComponentList.self, .GET, "/api/v1/components")
            }
            if json {
                let data = try PluginsCommand.encoder().encode(list)
                print(String(decoding: data, as: UTF8.self))
                return
            }
            var table = Table("COMPONENT", "SOURCE", "AVAILABLE", "VERSION", "ABI", "ACTIONS", "PLUGIN")
            for component in list.components {
                table.add(
                    component.name, component.source, component.available ? "yes" : "no (\(component.reason ?? "?"))",
                    component.version ?? "-", component.abiVersion ?? "-", component.actions.joined(separator: ","),
                    component.pluginFile ?? "-")
            }
            print(table.render(), terminator: "")
            for refused in list.refused {
                print("refused: \(refused.path): \(refused.reason)")
            }
        }
    }

    /// `harmonia plugins inspect FILE.so`: local, no server. Exits non-zero when the file
    /// would be refused, saying exactly why.
    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Show a plugin file's manifest and ABI version, or why the server would refuse it (exit 1).")

        @Argument(help: "The plugin shared library (.so).")
        var file: String

        @Flag(help: "Print the record as JSON.")
        var json = false

        func run() async throws {
            let record = PluginLoader.inspect(path: file)
            if json {
                print(String(decoding: try PluginsCommand.encoder().encode(record), as: UTF8.self))
            } else if record.status == .refused {
                print("\(record.path): refused")
            } else {
                print("\(record.path): loadable")
                print("plugin: \(record.name) \(record.version)")
                print("abi: \(record.abiVersion)")
                print("build: \(record.buildSignature)")
                for component in record.components {
                    print("component \(component.name): \(component.description)")
                    for action in component.actions {
                        print("  \(action.name): \(action.description)")
                    }
                }
            }
            if record.status == .refused {
                throw CLIError("refused: \(record.reason ?? "unknown reason")")
            }
        }
    }
}

extension PluginsCommand {
    /// Sorted keys, indented: stable output for scripts and people.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }
}

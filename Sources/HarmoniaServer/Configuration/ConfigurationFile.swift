import Configuration
import Foundation
import HarmoniaCore

/// The YAML (or JSON) configuration file, read strictly: an unknown key or a value of the
/// wrong type is an error naming the key, because a silently ignored typo (`prot: 9000`) is
/// worse than a refusal to start.
///
/// YAML is read with the YAML 1.2 core schema, like workflow definitions: only `true` and
/// `false` are booleans, so `level: off`, `synchronous: no` or a host named `on` stay the
/// strings they look like instead of turning into YAML 1.1 booleans; duplicate keys are
/// refused with their line.
struct ConfigurationFile {
    /// `components`: any lower-case component name, each a mapping checked by `applyComponents`.
    static let componentsSection = "components"

    /// The path, naming the file in messages.
    let source: String
    /// The `components` section's entries by component name.
    private(set) var components: [String: JSONValue] = [:]
    /// Checked values by YAML path (`server.port`), each of its key's declared type; nulls
    /// are left out (they mean "default").
    private(set) var values: [String: ConfigurationKey.Value] = [:]

    /// Reads and checks the file at `path`.
    init(path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError(key: path, "cannot read the configuration file (\(error.localizedDescription))")
        }
        try self.init(data: data, source: path)
    }

    /// Checks already loaded YAML or JSON text; `source` names the file in messages.
    init(yaml: String, source: String) throws {
        try self.init(data: Data(yaml.utf8), source: source)
    }

    init(data: Data, source: String) throws {
        self.source = source
        let document: JSONValue
        do {
            document = try DefinitionParser.parse(data, format: .auto, maxExpandedBytes: 16 << 20)
        } catch let error as HarmoniaError {
            // An empty file or one holding only comments configures nothing.
            if data.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) || Self.onlyComments(data) { return }
            throw ConfigurationError(key: source, error.message)
        }
        if document.isNull { return }
        guard let root = document.objectValue else {
            throw ConfigurationError(
                key: source, "the top level must be a mapping of sections (\(Self.sections.joined(separator: ", ")))")
        }
        for (section, body) in root {
            if section == Self.componentsSection {
                guard body.isNull || body.objectValue != nil else {
                    throw ConfigurationError(key: section, "must be a mapping of component names, not \(Self.describe(body))")
                }
                components = body.objectValue ?? [:]
                continue
            }
            let declared = HarmoniaConfiguration.keys.filter { $0.section == section }
            guard !declared.isEmpty else {
                throw ConfigurationError(key: section, "unknown section (known: \(Self.sections.joined(separator: ", ")))")
            }
            if body.isNull { continue }
            guard let members = body.objectValue else {
                throw ConfigurationError(key: section, "must be a mapping, not \(Self.describe(body))")
            }
            for (name, value) in members {
                guard let key = declared.first(where: { $0.name == name }) else {
                    let known = declared.map(\.name).sorted().joined(separator: ", ")
                    throw ConfigurationError(key: "\(section).\(name)", "unknown key (known in \(section): \(known))")
                }
                if value.isNull { continue }
                values[key.path] = try Self.typed(value, key: key)
            }
        }
    }

    /// The checked values, for the file's `InMemoryProvider`.
    var providerValues: [AbsoluteConfigKey: ConfigValue] { ConfigurationLayers.providerValues(values) }

    /// Every section a file may hold, sorted.
    static var sections: [String] {
        (Set(HarmoniaConfiguration.keys.map(\.section)).union([componentsSection])).sorted()
    }

    /// A file value as its key's type. A list may also be one comma-separated string, like
    /// the environment variable.
    private static func typed(_ value: JSONValue, key: ConfigurationKey) throws -> ConfigurationKey.Value {
        switch (key.type, value) {
        case (.string, .string(let s)): return .string(s)
        case (.integer, .integer(let i)): return .integer(i)
        case (.number, .integer(let i)): return .number(Double(i))
        case (.number, .double(let d)): return .number(d)
        case (.stringList, .string(let s)): return .stringList(ConfigurationParsing.commaList(s))
        case (.stringList, .array(let list)):
            return .stringList(
                try list.enumerated().map { index, element in
                    guard let string = element.stringValue else {
                        throw ConfigurationError(
                            key: "\(key.path)[\(index)]", "expected a string, got \(describe(element))")
                    }
                    return string
                })
        default:
            throw key.typeError(key.path, got: describe(value))
        }
    }

    /// `integer 3`, `string "x"`, `list`: the type and, for scalars, the value.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return "string \"\(s)\""
        case .integer(let i): return "integer \(i)"
        case .double(let d): return "number \(d)"
        case .bool(let b): return "boolean \(b)"
        case .null: return "null"
        case .array: return "list"
        case .object: return "mapping"
        }
    }

    private static func onlyComments(_ data: Data) -> Bool {
        String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
    }
}

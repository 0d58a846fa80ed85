import HarmoniaCore

/// One configuration key, declared once for every layer: its YAML path, its environment
/// variable, its flag, its type, whether it is a secret, and how a value is checked and
/// stored.
///
/// Before this declaration each key was read by hand three times (file, environment,
/// flags) and the copies drifted: `HARMONIA_API_KEYS` skipped the check the other two
/// applied, and `engine.max_batch_size` was documented but read nowhere. Now the three
/// layers are three `ConfigProvider`s (swift-configuration) asked for the same key, the
/// value goes through the same `apply`, and `ConfigurationDocsTests` compares the list
/// with `docs/configuration.md` and `config/harmonia.example.yaml`.
struct ConfigurationKey: Sendable {
    /// The shapes a value can have. Environment variables and flags are text, converted by
    /// their provider; the file's YAML (1.2 core schema) or JSON values must already have
    /// this type.
    enum ValueType: String, Sendable {
        case string
        case integer
        /// Integers are accepted too.
        case number
        /// A YAML list, or one comma-separated string (always comma-separated in the
        /// environment; a repeated flag on the command line).
        case stringList = "list of strings"
    }

    /// A value read from one layer, already of the declared type.
    enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int)
        case number(Double)
        case stringList([String])

        var string: String? { if case .string(let s) = self { s } else { nil } }
        var integer: Int? { if case .integer(let i) = self { i } else { nil } }
        var number: Double? { if case .number(let n) = self { n } else { nil } }
        var stringList: [String]? { if case .stringList(let l) = self { l } else { nil } }
    }

    /// Checks a value and stores it; the `String` names where the value came from (the
    /// YAML path, the environment variable or the flag), for the error.
    typealias Apply = @Sendable (inout HarmoniaConfiguration, Value, _ source: String) throws -> Void

    /// `section.key`, as written in the YAML file and used as the key in every layer.
    let path: String
    /// The environment variable, as written in the environment.
    let environment: String
    /// The `harmonia serve` flag, if there is one (`--port`).
    let flag: String?
    let type: ValueType
    /// Secrets (API keys) are marked secret in their provider so nothing that reports
    /// configuration values prints them.
    let isSecret: Bool
    let apply: Apply

    init(_ path: String, env environment: String, flag: String? = nil, _ type: ValueType, secret: Bool = false, apply: @escaping Apply) {
        self.path = path
        self.environment = environment
        self.flag = flag
        self.type = type
        self.isSecret = secret
        self.apply = apply
    }

    /// The section (`server`) and the key within it (`port`).
    var section: String { String(path.prefix { $0 != "." }) }
    var name: String { String(path.drop { $0 != "." }.dropFirst()) }

    /// A value of the wrong type for this key, as the error message names it.
    func typeError(_ source: String, got description: String) -> ConfigurationError {
        let expected: String
        switch type {
        case .string: expected = "a string"
        case .integer: expected = "an integer"
        case .number: expected = "a number"
        case .stringList: expected = "a list of strings"
        }
        return ConfigurationError(key: source, "expected \(expected), got \(description)")
    }
}

import HarmoniaCore

/// A tool's arguments after the checks of its parameters: typed reads that cannot fail for
/// a declared parameter, defaults filled in.
public struct ToolArguments: Sendable {
    public let values: [String: JSONValue]

    /// Checks `raw` against `parameters`: no unknown argument, every required one present,
    /// each of the declared type and range. The first failure names the argument.
    init(_ raw: [String: JSONValue], parameters: [ToolParameter]) throws(ToolFailure) {
        let known = Set(parameters.map(\.name))
        for name in raw.keys.sorted() where !known.contains(name) {
            let expected = parameters.map(\.name).joined(separator: ", ")
            throw ToolFailure.argument(name, "is not a parameter of this tool (parameters: \(expected))")
        }
        var values: [String: JSONValue] = [:]
        for parameter in parameters {
            guard let value = raw[parameter.name], !value.isNull else {
                if parameter.required { throw ToolFailure.argument(parameter.name, "is required") }
                if let fallback = parameter.defaultValue { values[parameter.name] = fallback }
                continue
            }
            try parameter.check(value)
            values[parameter.name] = value
        }
        self.values = values
    }

    public subscript(_ name: String) -> JSONValue? { values[name] }

    public func string(_ name: String) -> String? { values[name]?.stringValue }

    /// A required string parameter (checked present by `init`).
    public func require(_ name: String) -> String { values[name]?.stringValue ?? "" }

    public func integer(_ name: String) -> Int? { values[name]?.intValue }

    public func object(_ name: String) -> [String: JSONValue]? { values[name]?.objectValue }
}

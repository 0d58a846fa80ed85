import HarmoniaCore

/// Builds a workflow input object from `--input-json` and `--input k=v` flags.
///
/// `k=v` values are parsed as JSON when they are valid JSON, so `--input count=3` sends the
/// number 3, `--input flag=true` a boolean and `--input 'o={"a":1}'` an object, while
/// `--input name=world` (not JSON) sends the string. Quote a value to force a string:
/// `--input 'zip="01234"'`. Pairs are applied after `--input-json`, so they override it.
enum InputParsing {
    static func buildInput(json: String?, pairs: [String]) throws -> JSONValue {
        var members: [String: JSONValue] = [:]
        if let json {
            let parsed: JSONValue
            do {
                parsed = try JSONValue.parse(json)
            } catch {
                throw CLIError("--input-json is not valid JSON: \(error)")
            }
            guard let object = parsed.objectValue else {
                throw CLIError("--input-json must be a JSON object, got \(parsed.typeName)")
            }
            members = object
        }
        for pair in pairs {
            let (key, value) = try parsePair(pair)
            members[key] = value
        }
        return .object(members)
    }

    /// Splits `key=value` at the first `=` and types the value.
    static func parsePair(_ pair: String) throws -> (String, JSONValue) {
        guard let equals = pair.firstIndex(of: "=") else {
            throw CLIError("--input expects key=value, got '\(pair)'")
        }
        let key = String(pair[..<equals])
        guard !key.isEmpty else { throw CLIError("--input expects key=value, the key is empty in '\(pair)'") }
        let raw = String(pair[pair.index(after: equals)...])
        return (key, typedValue(raw))
    }

    /// The JSON value `raw` denotes when it is valid JSON, else `raw` as a string.
    static func typedValue(_ raw: String) -> JSONValue {
        (try? JSONValue.parse(raw)) ?? .string(raw)
    }
}

/// Entry points for `${...}` expressions inside JSON values.
///
/// Validation calls `references(in:path:)` at create time so a bad expression is a 4xx with a
/// precise location; the engine calls `resolve(_:in:)` at every dispatch, so resolution is a
/// byte scan that leaves values without `${` untouched and allocates only for what changes.
public enum Expressions {
    /// The roots expressions may use.
    public static let roots: Set<String> = ["input", "tasks", "workflow", "execution", "env", "item", "index"]

    /// The roots as listed in error messages.
    static let rootList = "input, tasks, workflow, execution, env, item or index"

    /// `roots.contains` without hashing, for the scanner.
    @inline(__always)
    static func isRoot(_ name: String) -> Bool {
        switch name {
        case "input", "tasks", "workflow", "execution", "env", "item", "index": return true
        default: return false
        }
    }

    /// Resolves every `${...}` in strings anywhere inside `value` (object keys are not resolved).
    ///
    /// A string that is exactly one `${...}` becomes the value it refers to, of any JSON type;
    /// embedded references are spliced as text. Throws `expression_error` for anything that
    /// does not resolve, with `path` set to the location inside `value` (such as `headers.auth`)
    /// when the failing string is not `value` itself.
    public static func resolve(_ value: JSONValue, in context: ExpressionContext) throws -> JSONValue {
        do {
            return try resolvedIfChanged(value, in: context) ?? value
        } catch var error as HarmoniaError {
            error.path = error.path.map { PathSegment.join("", $0) }
            throw error
        }
    }

    /// Parses every `${...}` inside `value` without resolving, in document order (object keys
    /// sorted). Throws `malformed_expression` or `unknown_expression_root` with `path` set to
    /// `path` plus the location inside `value`, such as `tasks.b.input.url`.
    public static func references(in value: JSONValue, path: String) throws -> [ExpressionReference] {
        var found: [ExpressionReference] = []
        do {
            try collect(value, into: &found)
        } catch var error as HarmoniaError {
            let joined = PathSegment.join(path, error.path ?? "")
            error.path = joined.isEmpty ? nil : joined
            throw error
        }
        return found
    }

    /// The resolved value, or nil when nothing inside `value` needed resolving. Errors carry a
    /// path suffix relative to `value` (`.url`, `[0].x`).
    static func resolvedIfChanged(_ value: JSONValue, in context: ExpressionContext) throws -> JSONValue? {
        switch value {
        case .string(let string):
            return try StringTemplate.resolve(string, in: context)
        case .array(let elements):
            var changed: [JSONValue]?
            for i in elements.indices {
                let element: JSONValue?
                do { element = try resolvedIfChanged(elements[i], in: context) } catch { throw located(error, .index(i)) }
                if let element {
                    if changed == nil { changed = elements }
                    changed![i] = element
                }
            }
            return changed.map(JSONValue.array)
        case .object(let members):
            var changed: [String: JSONValue]?
            for (key, member) in members {
                let resolved: JSONValue?
                do { resolved = try resolvedIfChanged(member, in: context) } catch { throw located(error, .key(key)) }
                if let resolved {
                    if changed == nil { changed = members }
                    changed![key] = resolved
                }
            }
            return changed.map(JSONValue.object)
        case .null, .bool, .integer, .double:
            return nil
        }
    }

    private static func collect(_ value: JSONValue, into found: inout [ExpressionReference]) throws {
        switch value {
        case .string(let string):
            try StringTemplate.parse(string, path: nil)?.collectReferences(into: &found)
        case .array(let elements):
            for (i, element) in elements.enumerated() {
                do { try collect(element, into: &found) } catch { throw located(error, .index(i)) }
            }
        case .object(let members):
            for key in members.keys.sorted() {
                do { try collect(members[key]!, into: &found) } catch { throw located(error, .key(key)) }
            }
        case .null, .bool, .integer, .double:
            return
        }
    }

    /// Prefixes the error's path suffix with the segment it was found under.
    static func located(_ error: any Error, _ segment: PathSegment) -> any Error {
        guard var error = error as? HarmoniaError else { return error }
        error.path = segment.pathText + (error.path ?? "")
        return error
    }
}

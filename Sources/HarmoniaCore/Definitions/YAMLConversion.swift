import Foundation
import Yams

/// Converts YAML text to `JSONValue` exactly, so a YAML definition means the same as its
/// JSON twin.
///
/// Plain scalars are typed by the YAML 1.2 core schema, not YAML 1.1's: only `true`/`false`
/// are booleans, `null`/`~`/empty is null, `1:30` is a string, and `on`, `yes`, `no`,
/// `2024-01-01` stay strings. (1.1 turns the country code `NO` into `false` and a time into
/// a number of seconds, surprises nobody wants in a workflow input.) Integers become
/// `.integer`, other numbers `.double`; NaN and infinities have no JSON form and are refused.
/// Mapping keys must be strings: a key such as `1` or `true` is an error naming it. Merge
/// keys (`<<: *defaults`) are honoured, explicit keys winning.
///
/// Aliases are expanded, so a "billion laughs" document could explode: conversion stops
/// after `maxNodes` values or once the result would pass `maxBytes` as JSON
/// (`payload_too_large`), and nesting deeper than `maxDepth` is refused as in JSON. The byte
/// bound matters as much as the node bound: 112 KiB of YAML whose aliases repeat long
/// strings expanded to a 477 MiB definition with far fewer than a million values.
enum YAMLConversion {
    static let maxDepth = 256
    static let maxNodes = 1_000_000

    /// The YAML 1.2 core schema, plus `<<` for merge keys.
    static let resolver: Resolver = {
        // swiftlint:disable:next force_try
        try! Resolver.basic
            .appending(.merge, "^<<$")
            .appending(.null, "^(?:~|null|Null|NULL|)$")
            .appending(.bool, "^(?:true|True|TRUE|false|False|FALSE)$")
            .appending(.int, "^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
            .appending(
                .float,
                "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$")
    }()

    static func parse(_ data: some Collection<UInt8>, maxBytes: Int = DefinitionParser.defaultMaxExpandedBytes) throws -> JSONValue {
        guard let text = String(validating: data, as: UTF8.self) else {
            throw HarmoniaError(.invalidJSON, "malformed YAML: the text is not valid UTF-8")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, resolver)
        } catch let error as YamlError {
            throw HarmoniaError(.invalidJSON, describe(error, in: text))
        } catch {
            throw HarmoniaError(.invalidJSON, "malformed YAML: \(error)")
        }
        guard let node else {
            throw HarmoniaError(.invalidJSON, "malformed YAML at line 1: empty document")
        }
        var converter = Converter(maxBytes: maxBytes)
        return try converter.convert(node, depth: 0)
    }

    /// A message naming YAML and the line, without echoing the document back.
    static func describe(_ error: YamlError, in text: String) -> String {
        func at(_ mark: Mark) -> String { "line \(mark.line), column \(mark.column)" }
        func context(_ c: YamlError.Context?) -> String { c.map { "\($0.text), " } ?? "" }
        switch error {
        case let .scanner(c, problem, mark, _), let .parser(c, problem, mark, _), let .composer(c, problem, mark, _):
            return "malformed YAML at \(at(mark)): \(context(c))\(problem)"
        case let .reader(problem, offset, _, _):
            let line = offset.map { text.utf8.prefix($0).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 } } ?? 1
            return "malformed YAML at line \(line): \(problem)"
        case let .duplicatedKeysInMapping(duplicates, c):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return "malformed YAML at \(at(c.mark)): duplicate mapping key \(keys)"
        default:
            return "malformed YAML: \(error)"
        }
    }

    /// One conversion pass; counts values and their JSON bytes to bound alias expansion.
    struct Converter {
        let maxBytes: Int
        var nodes = 0
        /// About the size of the result as compact JSON so far (see `JSONValue.encodedSize`).
        var bytes = 0

        init(maxBytes: Int) {
            self.maxBytes = maxBytes
        }

        mutating func convert(_ node: Node, depth: Int) throws -> JSONValue {
            nodes += 1
            guard nodes <= YAMLConversion.maxNodes else {
                throw failure(node, "more than \(YAMLConversion.maxNodes) values once aliases are expanded")
            }
            // Scalars count their text, collections their brackets and separators; keys are
            // counted as scalars.
            switch node {
            case .scalar(let scalar): bytes += scalar.string.utf8.count + 3
            case .sequence(let sequence): bytes += 2 + sequence.count
            case .mapping(let mapping): bytes += 2 + mapping.count * 2
            case .alias: break
            }
            guard bytes <= maxBytes else {
                let at = node.mark.map { " (at line \($0.line))" } ?? ""
                throw HarmoniaError(
                    .payloadTooLarge,
                    "the YAML document expands to more than \(maxBytes) bytes once aliases are expanded\(at); the limit is the request body limit")
            }
            guard depth < YAMLConversion.maxDepth else {
                throw failure(node, "nesting deeper than \(YAMLConversion.maxDepth) levels")
            }
            switch node {
            case .scalar(let scalar):
                return try self.scalar(scalar, node: node)
            case .sequence(let sequence):
                var result: [JSONValue] = []
                result.reserveCapacity(sequence.count)
                for element in sequence { result.append(try convert(element, depth: depth + 1)) }
                return .array(result)
            case .mapping(let mapping):
                return .object(try self.mapping(mapping, depth: depth))
            case .alias:
                // compose() resolves aliases to their anchored nodes; this is a safety net.
                throw failure(node, "unresolved alias")
            }
        }

        private mutating func mapping(_ mapping: Node.Mapping, depth: Int) throws -> [String: JSONValue] {
            var result: [String: JSONValue] = [:]
            var merged: [String: JSONValue] = [:]
            for (key, value) in mapping {
                if key.tag.rawValue == Tag.Name.merge.rawValue {
                    // Earlier merge sources win over later ones; explicit keys win over all.
                    let sources = value.sequence.map(Array.init) ?? [value]
                    for source in sources {
                        guard case .mapping(let m) = source else {
                            throw failure(source, "a merge key (<<) needs a mapping or a list of mappings")
                        }
                        merged.merge(try self.mapping(m, depth: depth + 1)) { first, _ in first }
                    }
                    continue
                }
                guard case .scalar(let k) = key, key.tag.rawValue == Tag.Name.str.rawValue else {
                    throw failure(key, "mapping key \(describeKey(key)) is not a string; quote it")
                }
                bytes += k.string.utf8.count + 3
                result[k.string] = try convert(value, depth: depth + 1)
            }
            return result.merging(merged) { explicit, _ in explicit }
        }

        private func describeKey(_ key: Node) -> String {
            switch key {
            case .scalar(let k): return "'\(k.string)' (\((try? scalar(k, node: key))?.typeName ?? "scalar"))"
            case .sequence: return "(a sequence)"
            case .mapping: return "(a mapping)"
            case .alias: return "(an alias)"
            }
        }

        private func scalar(_ scalar: Node.Scalar, node: Node) throws -> JSONValue {
            let text = scalar.string
            switch node.tag.rawValue {
            case Tag.Name.null.rawValue:
                return .null
            case Tag.Name.bool.rawValue:
                guard let b = ["true": true, "false": false][text.lowercased()] else {
                    throw failure(node, "'\(text)' is not a boolean")
                }
                return .bool(b)
            case Tag.Name.int.rawValue:
                if let i = YAMLConversion.integer(text) { return .integer(i) }
                if let d = Double(text), d.isFinite { return .double(d) }
                throw failure(node, "'\(text)' is not an integer JSON can hold")
            case Tag.Name.float.rawValue:
                guard let d = Double(text) else { throw failure(node, "'\(text)' is not a number") }
                guard d.isFinite else { throw failure(node, "'\(text)' has no JSON representation") }
                return .double(d)
            default:
                // Strings, and tags JSON has no type for (timestamps, binary, custom): their text.
                return .string(text)
            }
        }

        private func failure(_ node: Node, _ problem: String) -> HarmoniaError {
            let at = node.mark.map { "line \($0.line), column \($0.column)" } ?? "unknown line"
            return HarmoniaError(.invalidJSON, "malformed YAML at \(at): \(problem)")
        }
    }

    /// Decimal, `0o` octal or `0x` hex text as an Int; nil when it does not fit.
    static func integer(_ text: String) -> Int? {
        if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
        if text.hasPrefix("0o") { return Int(text.dropFirst(2), radix: 8) }
        return Int(text.hasPrefix("+") ? String(text.dropFirst()) : text)
    }
}

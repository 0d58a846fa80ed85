extension ExpressionContext {
    /// Resolves the `${...}` whose `$` is at `start` in one pass over the bytes, walking the
    /// context while scanning instead of building an `ExpressionReference` first.
    ///
    /// This is the dispatch hot path. It handles only the plain shape (`${root.name[0].name}`,
    /// no spaces, no quoted keys) and only when everything resolves; for anything else it
    /// returns nil and the caller takes the full parser, which yields the same value or the
    /// precise error. Returns the value and the offset after `}`.
    func quickValue(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (JSONValue, Int)? {
        let n = bytes.count
        var i = start + 2
        let rootStart = i
        while i < n, ExpressionParser.isNameByte(bytes[i]) { i += 1 }
        var current: JSONValue
        switch i - rootStart {
        case 5 where Self.matches(bytes, rootStart, "input"):
            current = input
        case 8 where Self.matches(bytes, rootStart, "workflow"):
            current = workflow
        case 9 where Self.matches(bytes, rootStart, "execution"):
            current = execution
        case 5 where Self.matches(bytes, rootStart, "tasks"):
            guard let (id, next) = Self.dottedName(bytes, i), let output = taskOutputs[id] else { return nil }
            current = output
            i = next
            if let (_, after) = Self.dottedName(bytes, i), after - i == 7, Self.matches(bytes, i + 1, "output") {
                i = after
            }
        case 3 where Self.matches(bytes, rootStart, "env"):
            guard let (name, next) = Self.dottedName(bytes, i), next < n, bytes[next] == UInt8(ascii: "}"),
                let value = env[name]
            else { return nil }
            return (.string(value), next + 1)
        default:
            return nil
        }
        var depth = 0
        while i < n {
            switch bytes[i] {
            case UInt8(ascii: "}"):
                return (current, i + 1)
            case UInt8(ascii: "."):
                guard let (key, next) = Self.dottedName(bytes, i), case .object(let members) = current,
                    let member = members[key]
                else { return nil }
                current = member
                i = next
            case UInt8(ascii: "["):
                var j = i + 1
                var index = 0
                while j < n, j - i <= 15, bytes[j] >= UInt8(ascii: "0"), bytes[j] <= UInt8(ascii: "9") {
                    index = index * 10 + Int(bytes[j] - UInt8(ascii: "0"))
                    j += 1
                }
                guard j > i + 1, j < n, bytes[j] == UInt8(ascii: "]"), case .array(let elements) = current,
                    index < elements.count
                else { return nil }
                current = elements[index]
                i = j + 1
            default:
                return nil
            }
            depth += 1
            if depth > ExpressionParser.maxDepth || i - start > ExpressionParser.maxLength { return nil }
        }
        return nil
    }

    /// `.name` at `i`: the name and the offset after it, or nil when there is no name.
    @inline(__always)
    private static func dottedName(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> (String, Int)? {
        guard i < bytes.count, bytes[i] == UInt8(ascii: ".") else { return nil }
        var j = i + 1
        while j < bytes.count, ExpressionParser.isNameByte(bytes[j]) { j += 1 }
        guard j > i + 1 else { return nil }
        return (String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 1)..<j]), as: UTF8.self), j)
    }

    /// Whether the bytes at `at` spell `word` (the caller has checked the length).
    @inline(__always)
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int, _ word: StaticString) -> Bool {
        guard at + word.utf8CodeUnitCount <= bytes.count else { return false }
        let w = word.utf8Start
        for k in 0..<word.utf8CodeUnitCount where bytes[at + k] != w[k] { return false }
        return true
    }
}

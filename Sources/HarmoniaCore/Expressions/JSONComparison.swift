/// The value semantics of conditions: truthiness, deep equality, ordering and membership.
///
/// Numbers compare by value whatever their representation (`1 == 1.0`), exactly even for
/// integers beyond 2^53; strings order by Unicode code point (their UTF-8 bytes), which is
/// deterministic and locale-free.
enum JSONComparison {
    /// false, null, 0, "", [] and {} are false; everything else is true.
    static func isTruthy(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return false
        case .bool(let b): return b
        case .integer(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        }
    }

    /// Deep JSON equality with numbers compared by value.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return x == y
        case (.integer(let x), .double(let y)): return compare(x, y) == 0
        case (.double(let x), .integer(let y)): return compare(y, x) == 0
        case (.double(let x), .double(let y)): return x == y
        case (.array(let x), .array(let y)):
            guard x.count == y.count else { return false }
            for i in x.indices where !equal(x[i], y[i]) { return false }
            return true
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for (key, value) in x {
                guard let other = y[key], equal(value, other) else { return false }
            }
            return true
        default:
            return a == b
        }
    }

    /// -1, 0 or 1 for two numbers or two strings; nil when the pair cannot be ordered.
    static func order(_ a: JSONValue, _ b: JSONValue) -> Int? {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.integer(let x), .double(let y)): return y.isNaN ? nil : compare(x, y)
        case (.double(let x), .integer(let y)): return x.isNaN ? nil : -compare(y, x)
        case (.double(let x), .double(let y)):
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : (x > y ? 1 : 0)
        case (.string(let x), .string(let y)):
            if x == y { return 0 }
            return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
        default:
            return nil
        }
    }

    /// Compares an integer with a double exactly (no rounding of large integers).
    static func compare(_ i: Int, _ d: Double) -> Int {
        if d >= 9_223_372_036_854_775_808.0 { return -1 }
        if d < -9_223_372_036_854_775_808.0 { return 1 }
        let whole = d.rounded(.towardZero)
        let w = Int(whole)
        if i < w { return -1 }
        if i > w { return 1 }
        let fraction = d - whole
        return fraction > 0 ? -1 : (fraction < 0 ? 1 : 0)
    }

    /// True when `haystack` bytes contain `needle` bytes.
    static func containsSubstring(_ haystack: String, _ needle: String) -> Bool {
        let h = Array(haystack.utf8)
        let n = Array(needle.utf8)
        if n.isEmpty { return true }
        guard n.count <= h.count else { return false }
        let first = n[0]
        var i = 0
        while i <= h.count - n.count {
            if h[i] == first {
                var j = 1
                while j < n.count, h[i + j] == n[j] { j += 1 }
                if j == n.count { return true }
            }
            i += 1
        }
        return false
    }
}

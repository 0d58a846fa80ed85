extension JSONValue {
    /// The size of this value written as compact JSON, estimated and counted only up to
    /// `limit`: once the count passes `limit` the walk stops and returns what it has.
    ///
    /// Used to bound task inputs and outputs, expanded YAML and instantiated templates
    /// without writing them out: the walk stops as soon as the limit is passed, so a value of
    /// gigabytes costs no more than one just over the limit. Strings count their UTF-8 bytes
    /// plus quotes (escapes are not counted); numbers count a fixed 20 or 24 bytes, about
    /// their longest form, so small values are overestimated rather than missed.
    public func encodedSize(upTo limit: Int) -> Int {
        var total = 0
        accumulateSize(into: &total, limit: limit)
        return total
    }

    /// Whether this value written as compact JSON is larger than `limit` bytes.
    public func exceedsEncodedSize(_ limit: Int) -> Bool {
        encodedSize(upTo: limit) > limit
    }

    private func accumulateSize(into total: inout Int, limit: Int) {
        guard total <= limit else { return }
        switch self {
        case .null: total += 4
        case .bool(let b): total += b ? 4 : 5
        case .integer: total += 20
        case .double: total += 24
        case .string(let s): total += s.utf8.count + 2
        case .array(let elements):
            // Brackets now, each comma as its element is reached: the walk stops near the limit.
            total += elements.isEmpty ? 2 : 1
            for element in elements {
                total += 1
                element.accumulateSize(into: &total, limit: limit)
                if total > limit { return }
            }
        case .object(let members):
            total += members.isEmpty ? 2 : 1
            for (key, value) in members {
                total += key.utf8.count + 4
                value.accumulateSize(into: &total, limit: limit)
                if total > limit { return }
            }
        }
    }
}

/// The rule for signal names, shared by the route and the `wait_for_signal` action so a
/// name one accepts the other accepts too.
public enum SignalName {
    /// Longest name, in bytes.
    public static let maxBytes = 128

    /// Throws `invalid_request` naming what is wrong with `name` (`path` says where it came from).
    public static func validate(_ name: String, path: String) throws {
        if name.isEmpty {
            throw HarmoniaError(.invalidRequest, "signal name is empty; use 1–\(maxBytes) characters of A-Z a-z 0-9 _ . -", path: path)
        }
        if name.utf8.count > maxBytes {
            throw HarmoniaError(
                .invalidRequest, "signal name is \(name.utf8.count) bytes; at most \(maxBytes) are allowed", path: path)
        }
        if let bad = name.unicodeScalars.first(where: { !isAllowed($0) }) {
            throw HarmoniaError(
                .invalidRequest,
                "signal name '\(name)' contains '\(bad.escaped(asASCII: true))'; only A-Z a-z 0-9 _ . - are allowed", path: path)
        }
    }

    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", ".", "-": return true
        default: return false
        }
    }
}

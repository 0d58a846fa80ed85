/// A plugin file that was not loaded, with exactly why (untrusted location, ABI mismatch,
/// missing symbol...).
public struct RefusedPlugin: Sendable, Hashable, Codable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

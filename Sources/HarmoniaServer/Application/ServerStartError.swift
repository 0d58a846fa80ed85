/// Why the server could not start serving, said in the words of the person who started it
/// (the socket layer's `bind(descriptor:ptr:bytes:): Address already in use (errno: 98)`
/// names neither the port nor what to do).
public struct ServerStartError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable {
        public let rawValue: String
        /// Another process listens on the port.
        public static let portInUse = Code(rawValue: "port_in_use")
    }

    public var code: Code
    public var description: String

    /// Another process already listens on `host:port`.
    static func portInUse(host: String, port: Int) -> ServerStartError {
        ServerStartError(
            code: .portInUse,
            description:
                "port \(port) is in use on \(host): another server (a Harmonia already running?) listens there; stop it or choose another port with --port")
    }
}

extension ServerStartError: Equatable {
    public static func == (lhs: ServerStartError, rhs: ServerStartError) -> Bool { lhs.code == rhs.code }
}

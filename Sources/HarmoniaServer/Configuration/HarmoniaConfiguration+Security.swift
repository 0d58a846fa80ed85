extension HarmoniaConfiguration {
    /// Whether `host` only accepts connections from this machine.
    public var bindsLoopbackOnly: Bool {
        Self.isLoopback(host)
    }

    /// Refuses configurations that would expose an unauthenticated server to the network.
    ///
    /// Anyone who can reach the port can run workflows (and through adapters, commands), so
    /// a non-loopback bind without an API key is refused rather than warned about.
    public func validateForServing() throws {
        if !bindsLoopbackOnly && apiKeys.isEmpty {
            throw ConfigurationError(
                key: "server.host",
                "refusing to bind \(host) (reachable from other machines) without an API key; "
                    + "set HARMONIA_API_KEYS or server.api_keys, or bind 127.0.0.1")
        }
    }

    /// `localhost`, `::1` and the whole `127.0.0.0/8` block.
    static func isLoopback(_ host: String) -> Bool {
        var host = host.lowercased()
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { UInt8($0) != nil }
    }
}

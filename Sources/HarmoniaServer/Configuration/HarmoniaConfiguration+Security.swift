extension HarmoniaConfiguration {
    /// Whether `host` only accepts connections from this machine.
    public var bindsLoopbackOnly: Bool {
        Self.isLoopback(host)
    }

    /// Whether `host` means "every interface" (`0.0.0.0`, `::`, `*`), as Tekton's docs set
    /// `HARMONIA_HOST` for every component.
    public var bindsEveryInterface: Bool {
        ["0.0.0.0", "::", "[::]", "*", "0:0:0:0:0:0:0:0"].contains(host.lowercased())
    }

    /// Makes a launch with `HARMONIA_HOST=0.0.0.0` and no API key safe instead of refusing
    /// it: Tekton's docs set that host for every component, and its launcher then reports
    /// "process exited immediately". Without a key such a server binds loopback only, so
    /// Tekton on this machine works and no other machine can reach an API that runs
    /// commands; the returned warning says so (logged loudly at start-up). With a key it
    /// binds every interface, as asked. Any other non-loopback host without a key is still
    /// refused by `validateForServing`.
    public mutating func narrowWildcardBindWithoutKeys() -> String? {
        guard bindsEveryInterface, apiKeys.isEmpty else { return nil }
        let asked = host
        host = Self.defaultHost
        return "server.host is \(asked) but no API key is configured: binding \(host) only, so other machines "
            + "cannot reach this server (set HARMONIA_API_KEYS or server.api_keys to serve them)"
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

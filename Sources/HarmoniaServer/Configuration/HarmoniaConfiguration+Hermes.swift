import Foundation
import HarmoniaDiscovery

extension HarmoniaConfiguration {
    /// The Hermes client settings, or nil when Hermes is not configured.
    public var hermesConfiguration: HermesConfiguration? {
        guard let url = hermes.url else { return nil }
        return HermesConfiguration(
            url: url, heartbeatInterval: .milliseconds(Int64((hermes.heartbeatInterval * 1000).rounded())),
            pollInterval: .milliseconds(Int64((hermes.pollInterval * 1000).rounded())))
    }

    /// `http://<host>:<port>` as other Tekton components reach this server: the advertised
    /// host, else the bind host unless it is a wildcard or loopback (then `TEKTON_HOST`, else
    /// `localhost`, as Tekton's components write theirs).
    public func advertisedEndpoint(port: Int, environment: [String: String]) -> String {
        var host = hermes.advertisedHost
        if host == nil {
            let wildcard = ["0.0.0.0", "::", "[::]"].contains(self.host)
            if !wildcard && !bindsLoopbackOnly {
                host = self.host
            } else if let tekton = environment["TEKTON_HOST"]?.trimmingCharacters(in: .whitespaces), !tekton.isEmpty {
                host = tekton
            }
        }
        let shown = host ?? "localhost"
        return "http://\(shown.contains(":") && !shown.hasPrefix("[") ? "[\(shown)]" : shown):\(port)"
    }

    /// The YAML layer of `hermes.*`.
    mutating func applyHermes(_ file: ConfigurationFile) throws {
        if let url = try file.string("hermes.url") {
            hermes.url = try Self.hermesURL(url, key: "hermes.url")
        }
        if let seconds = try file.number("hermes.heartbeat_interval") {
            hermes.heartbeatInterval = try Self.interval(seconds, key: "hermes.heartbeat_interval")
        }
        if let seconds = try file.number("hermes.poll_interval") {
            hermes.pollInterval = try Self.interval(seconds, key: "hermes.poll_interval")
        }
        if let host = try file.string("hermes.advertised_host") {
            hermes.advertisedHost = try ConfigurationParsing.host(host, key: "hermes.advertised_host")
        }
    }

    /// The environment layer: Tekton's `HERMES_URL`, else `HERMES_HOST` / `TEKTON_HOST` /
    /// `HERMES_PORT`; the intervals as `HARMONIA_HERMES_HEARTBEAT_INTERVAL` and
    /// `HARMONIA_HERMES_POLL_INTERVAL`.
    mutating func applyHermes(environment: [String: String]) throws {
        if let url = HermesConfiguration.url(fromEnvironment: environment) {
            let key = environment["HERMES_URL"].map { _ in "HERMES_URL" } ?? "HERMES_HOST/HERMES_PORT/TEKTON_HOST"
            hermes.url = try Self.hermesURL(url, key: key)
        }
        for (name, keyPath) in [
            ("HARMONIA_HERMES_HEARTBEAT_INTERVAL", \HermesSettings.heartbeatInterval),
            ("HARMONIA_HERMES_POLL_INTERVAL", \HermesSettings.pollInterval),
        ] {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { continue }
            guard let seconds = Double(raw) else {
                throw ConfigurationError(key: name, "expected a number of seconds, got \"\(raw)\"")
            }
            hermes[keyPath: keyPath] = try Self.interval(seconds, key: name)
        }
    }

    /// The command-line layer (`--hermes-url`).
    mutating func applyHermes(_ overrides: ConfigurationOverrides) throws {
        if let url = overrides.hermesURL {
            hermes.url = try Self.hermesURL(url, key: "--hermes-url")
        }
    }

    static func hermesURL(_ text: String, key: String) throws -> String {
        let url = text.trimmingCharacters(in: .whitespaces)
        guard let parts = URLComponents(string: url), ["http", "https"].contains(parts.scheme?.lowercased() ?? ""),
            parts.host?.isEmpty == false
        else {
            throw ConfigurationError(key: key, "expected an http:// or https:// URL, got \"\(text)\"")
        }
        return url
    }

    static func interval(_ seconds: Double, key: String) throws -> Double {
        try ConfigurationParsing.duration(seconds, key: key, allowZero: false)
    }
}

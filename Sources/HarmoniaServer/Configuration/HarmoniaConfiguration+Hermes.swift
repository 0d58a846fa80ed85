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

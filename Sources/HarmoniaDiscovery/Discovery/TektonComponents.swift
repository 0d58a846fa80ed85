import Foundation

/// Tekton's fixed facts about its components: the port map and the host variables.
public enum TektonComponents {
    /// Port → component name (port = 8000 + offset; tekton.md).
    public static let portMap: [Int: String] = [
        8000: "engram", 8001: "hermes", 8002: "ergon", 8003: "rhetor", 8004: "terma", 8005: "athena",
        8006: "prometheus", 8007: "harmonia", 8008: "telos", 8009: "synthesis", 8010: "tekton_core",
        8011: "metis", 8012: "apollo",
    ]

    /// Every component name in the port map.
    public static let names: Set<String> = Set(portMap.values)

    /// The environment variable that overrides a component's host: `ENGRAM_HOST`.
    public static func hostVariable(for component: String) -> String {
        component.uppercased().replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_") + "_HOST"
    }

    /// `endpoint` with its host replaced by `<NAME>_HOST` when that variable is set:
    /// registrants write `localhost` into their endpoint, which is only right on their machine.
    public static func endpoint(_ endpoint: String, component: String, environment: [String: String]) -> String {
        guard let host = environment[hostVariable(for: component)]?.trimmingCharacters(in: .whitespaces), !host.isEmpty,
            var parts = URLComponents(string: endpoint), parts.host != nil
        else { return endpoint }
        parts.host = host
        return parts.string ?? endpoint
    }

    /// The port of an endpoint URL, if it names one.
    static func port(of endpoint: String?) -> Int? {
        guard let endpoint, let parts = URLComponents(string: endpoint) else { return nil }
        return parts.port
    }
}

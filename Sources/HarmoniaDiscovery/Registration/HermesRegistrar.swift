import HarmoniaCore

/// One-shot registration for `harmonia register [--verify]`: register, and optionally read
/// the registry back to confirm Hermes stored what was sent.
public enum HermesRegistrar {
    /// What a one-shot registration achieved.
    public struct Outcome: Sendable {
        public var componentID: String
        /// The entry read back from `GET /api/components`, when verifying.
        public var entry: HermesComponent?
    }

    /// Registers; with `verify`, reads the registry back and throws `hermes_rejected`
    /// unless an entry with our id and endpoint is there. The token is discarded: the
    /// running server's own registration service heartbeats with its own token.
    public static func register(
        _ registration: HermesRegistration, client: HermesClient, verify: Bool
    ) async throws -> Outcome {
        let grant = try await client.register(registration)
        guard verify else { return Outcome(componentID: grant.componentID) }
        let entries = try await client.components()
        guard let entry = entries.first(where: { $0.componentID == grant.componentID }) else {
            throw HarmoniaError(
                .hermesRejected,
                "Hermes accepted the registration but does not list '\(grant.componentID)' in GET /api/components")
        }
        guard entry.endpoint == registration.endpoint else {
            throw HarmoniaError(
                .hermesRejected,
                "Hermes lists '\(grant.componentID)' at \(entry.endpoint ?? "no endpoint"), not \(registration.endpoint)")
        }
        return Outcome(componentID: grant.componentID, entry: entry)
    }
}

import Foundation

/// What the registration service knows, for `/health` and the logs.
public struct RegistrationStatus: Sendable, Hashable {
    /// Registered, and the latest exchange with Hermes succeeded.
    public var registered: Bool
    /// How many times Harmonia registered (1 normally; more after token expiry or a Hermes restart).
    public var registrations: Int
    /// When the latest registration or heartbeat succeeded.
    public var lastContact: Date?
    /// Consecutive failed exchanges with Hermes (0 while all is well); the retry delay grows with it.
    public var failures: Int
    /// The latest failure's message (never contains the token), cleared by the next success.
    public var lastError: String?

    public init(
        registered: Bool = false, registrations: Int = 0, lastContact: Date? = nil, failures: Int = 0,
        lastError: String? = nil
    ) {
        self.registered = registered
        self.registrations = registrations
        self.lastContact = lastContact
        self.failures = failures
        self.lastError = lastError
    }
}

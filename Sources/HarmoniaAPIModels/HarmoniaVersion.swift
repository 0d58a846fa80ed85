/// The version of this Harmonia build, reported by `/health`, `/`, `/discovery` and the CLI.
public enum HarmoniaVersion {
    public static let current = "0.1.0"
}

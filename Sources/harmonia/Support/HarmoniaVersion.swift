/// The version `harmonia --version` prints; bumped by hand with `CHANGELOG.md`.
enum HarmoniaVersion {
    static let current = "0.1.0-dev"
}

/// A failure the CLI reports in one line before exiting non-zero.
///
/// ArgumentParser prints a thrown error's `description` as `Error: <description>` and exits
/// with status 1, which is what every failed command should do.
struct CLIError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Why a plugin file may not be loaded (it failed `TrustCheck`, or could not be opened,
/// read or copied); the message goes into the plugin's refusal.
struct TrustProblem: Error, CustomStringConvertible {
    let reason: String

    init(_ reason: String) { self.reason = reason }

    var description: String { reason }
}

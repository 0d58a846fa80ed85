import HarmoniaPluginKit
import Synchronization

/// Every request a double received, in order, so tests can count and inspect them.
final class CallLog: Sendable {
    /// One request as the double saw it.
    struct Entry: Sendable, Hashable {
        var method: String
        /// The path exactly as sent (a trailing slash is kept).
        var path: String
        var query: String
        /// The body parsed as JSON, or `.null` when it was empty or not JSON.
        var body: PluginJSON

        /// `"POST /api/v1/plans/"`.
        var route: String { "\(method) \(path)" }
    }

    private let entries = Mutex<[Entry]>([])

    func record(_ entry: Entry) {
        entries.withLock { $0.append(entry) }
    }

    var all: [Entry] { entries.withLock { $0 } }

    /// The routes in order (`"GET /health"`).
    var routes: [String] { all.map(\.route) }

    /// How many requests hit `route` exactly.
    func count(_ route: String) -> Int {
        all.filter { $0.route == route }.count
    }

    /// The requests to `route`, in order.
    func requests(_ route: String) -> [Entry] {
        all.filter { $0.route == route }
    }
}

/// Latency percentiles by the nearest-rank method: the reported value is always one that
/// was measured, never an interpolation between two.
struct Percentiles: Sendable, Hashable {
    private let sorted: [Double]

    init(_ values: [Double]) {
        sorted = values.sorted()
    }

    var count: Int { sorted.count }

    /// The `p`-th percentile (0 < p ≤ 100), or nil without samples.
    func value(_ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    var p50: Double? { value(50) }
    var p99: Double? { value(99) }
    var maximum: Double? { sorted.last }
}

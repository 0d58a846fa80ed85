import HarmoniaCore

/// The no-gap, no-duplicate rule of one execution's stream, as a pure state machine.
///
/// A connection subscribes first, then reads the log after its cursor, then forwards live
/// events. Live events the log already gave are skipped by seq; a live event beyond the
/// next expected seq (which the subscribe-then-read order should make impossible, but a
/// cheap log read makes certain) asks for the missing range from the log first.
struct EventCursor: Sendable, Hashable {
    /// The seq of the last event sent (0: none yet).
    private(set) var lastSeq: Int64

    init(after seq: Int64) {
        self.lastSeq = seq
    }

    enum Decision: Sendable, Hashable {
        /// Write the event.
        case send
        /// Already sent (the log replay or an earlier delivery had it).
        case skip
        /// Read the log after `lastSeq` up to (excluding) the event first, then send it.
        case fillGap(after: Int64, before: Int64)
    }

    func decide(_ seq: Int64) -> Decision {
        if seq <= lastSeq { return .skip }
        if seq == lastSeq + 1 { return .send }
        return .fillGap(after: lastSeq, before: seq)
    }

    /// Records that the event with `seq` was written.
    mutating func sent(_ seq: Int64) {
        lastSeq = max(lastSeq, seq)
    }

    /// A client asked to replay from `seq`: what it already has is its business.
    mutating func reset(to seq: Int64) {
        lastSeq = seq
    }
}

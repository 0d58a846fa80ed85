import HarmoniaCore
import NIOCore
import Synchronization

/// The wire forms of recent events, encoded once and shared by every connection.
///
/// With a thousand subscribers on one execution each event would otherwise be serialized a
/// thousand times; here the first connection to write it encodes it and the others copy a
/// reference (`ByteBuffer` and `String` are copy-on-write). Bounded: the oldest entries
/// are dropped first, and a miss only costs an encode.
final class EventFrameCache: Sendable {
    struct Encoded: Sendable {
        /// The event frame JSON (WebSocket text frame, SSE data).
        let json: String
        /// The whole SSE frame: `id:`, `event:`, `data:`.
        let sse: ByteBuffer
    }

    private struct Key: Hashable {
        let executionID: String
        let seq: Int64
    }

    private struct State {
        var entries: [Key: Encoded] = [:]
        var order: [Key] = []
        var oldest = 0
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 4096) {
        self.capacity = max(1, capacity)
    }

    func encoded(_ event: ExecutionEvent) -> Encoded {
        let key = Key(executionID: event.executionID, seq: event.seq)
        if let hit = state.withLock({ $0.entries[key] }) { return hit }
        let json = StreamFrames.event(event)
        let encoded = Encoded(json: json, sse: SSEFormat.frame(id: event.seq, event: event.type.rawValue, data: json))
        state.withLock { state in
            guard state.entries[key] == nil else { return }
            state.entries[key] = encoded
            // A ring of keys: once full, each insert evicts the oldest.
            if state.order.count < capacity {
                state.order.append(key)
            } else {
                state.entries.removeValue(forKey: state.order[state.oldest])
                state.order[state.oldest] = key
                state.oldest = (state.oldest + 1) % capacity
            }
        }
        return encoded
    }
}

import Dispatch
import Synchronization

/// Hands the start-up answers of a plugin host child (`hello`, `instanceResult`) from its
/// reader thread to the thread starting it, which waits with a deadline.
final class HandshakeMailbox: Sendable {
    private let messages = Mutex<[HostMessage?]>([])
    private let available = DispatchSemaphore(value: 0)

    func put(_ message: HostMessage) {
        messages.withLock { $0.append(message) }
        available.signal()
    }

    /// The reader ended: a waiter gets nil.
    func close() {
        messages.withLock { $0.append(nil) }
        available.signal()
    }

    /// The next answer; nil when the reader ended or nothing came by `deadline`.
    func next(by deadline: DispatchTime) -> HostMessage? {
        guard available.wait(timeout: deadline) == .success else { return nil }
        return messages.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }
}

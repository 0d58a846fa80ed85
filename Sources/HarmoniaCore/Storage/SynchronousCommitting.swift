/// A store whose commit is a short local call that blocks the caller (an embedded database
/// on a local disk), which the engine may make on its own loop.
///
/// Awaiting an asynchronous commit costs several thread hand-offs per batch (to the
/// store's writer, back to a pool thread, back to the engine), each a futex wake on a busy
/// machine; at one batch per workflow step they dominated a chain of short tasks. The
/// engine's loop waits for the commit either way, so calling it in place changes nothing
/// else. A network store (PostgreSQL) does not adopt this: its commit must not block a
/// thread.
public protocol SynchronousCommitting: Store {
    /// Same contract as `Store.commit(_:)`, performed on the calling thread.
    func commitSynchronously(_ changes: [ExecutionChange]) throws
}

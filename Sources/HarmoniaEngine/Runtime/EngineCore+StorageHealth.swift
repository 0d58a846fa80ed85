import HarmoniaCore

extension EngineCore {
    /// Records whether the store takes writes, for `/ready` and `/health`
    /// (`EngineStatus.storageWritable`). Set by every commit: false when one fails for the
    /// store's own reasons, true again at the next that succeeds. Failed changes are retried
    /// every second (`rollBack`), so space coming back is noticed without a restart.
    func storageWritable(_ writable: Bool) {
        let changed = status.withLock { status in
            defer { status.storageWritable = writable }
            return status.storageWritable != writable
        }
        guard changed else { return }
        if writable {
            logger.notice("the store takes writes again")
        } else {
            logger.error("the store refuses writes; the server reports not ready until a write succeeds")
        }
    }

    /// Whether a commit failed because of the store (disk full, I/O error, read-only, an
    /// unexpected error) rather than because of the change (a reused idempotency key, a
    /// sequence conflict), which says nothing about the store's health.
    static func isStorageFault(_ error: any Error) -> Bool {
        guard let error = error as? HarmoniaError else { return !(error is CancellationError) }
        return error.code == .storageFailure || error.code == .storageUnavailable
    }

    /// What callers of a failed change are told: the store's own faults become
    /// `storage_unavailable` (503, try again later); other errors pass as they are.
    static func reported(_ error: any Error) -> any Error {
        guard isStorageFault(error) else { return error }
        let detail = (error as? HarmoniaError)?.message ?? "\(error)"
        return HarmoniaError(.storageUnavailable, "the change could not be stored, so it was not made: \(detail)")
    }
}

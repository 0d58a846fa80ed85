import HarmoniaCore
import Logging

extension EngineCore {
    /// Records whether the store takes writes, for `/ready` and `/health`
    /// (`EngineStatus.storageWritable`). Set by every commit: false when one fails for the
    /// store's own reasons, true again at the next that succeeds. Failed changes are retried
    /// every second (`rollBack`), so space coming back is noticed without a restart; when
    /// nothing is left to retry (only a refused start failed), the storage probe notices it.
    func storageWritable(_ writable: Bool) {
        if !writable { lastStorageFault = .now }
        let changed = status.withLock { status in
            defer { status.storageWritable = writable }
            return status.storageWritable != writable
        }
        guard changed else { return }
        if writable {
            storageProbe?.cancel()
            storageProbe = nil
            logger.notice("the store takes writes again")
        } else {
            logger.error("the store refuses writes; the server reports not ready until a write succeeds")
            startStorageProbe()
        }
    }

    /// Probes the store with a write of its own (`Store.probeWrite`) while writes fail and
    /// no failed change is being retried, so `/ready` comes back when space does even if no
    /// client writes.
    ///
    /// Only after a quiet period (no commit failed for two redelivery delays): while changes are
    /// being retried, their own outcome is the truth, and a small probe that fits on a nearly
    /// full disk must not flip `/ready` back and forth between two failing retries.
    private func startStorageProbe() {
        guard storageProbe == nil, !draining else { return }
        let interval = Duration.seconds(DurationLimit.clamped(configuration.storageProbeInterval))
        let store = self.store
        storageProbe = tasks.startCancellable { [weak self] in
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                guard let self, await self.storageProbeDue(interval: interval) else { continue }
                do {
                    try await store.probeWrite()
                    await self.storageProbeSucceeded()
                    return
                } catch {
                    await self.storageProbeFailed(error)
                }
            }
        }
    }

    /// Due when writes fail and no commit failed for two probe intervals and two of the
    /// current redelivery delays (which doubles while commits keep failing): longer than
    /// any retry's wait, so a retry that is still coming decides instead.
    private func storageProbeDue(interval: Duration) -> Bool {
        let quiet = max(interval * 2, .seconds(DurationLimit.clamped(redeliveryDelay() * 2)))
        return !status.withLock(\.storageWritable) && ContinuousClock.now - lastStorageFault >= quiet
    }

    private func storageProbeSucceeded() {
        logger.notice("a probe write succeeded")
        storageProbe = nil
        storageWritable(true)
    }

    private func storageProbeFailed(_ error: any Error) {
        status.withLock { $0.storageProbeFailures += 1 }
        logger.debug("probe write failed: \(error)")
    }

    /// Stops the probe (graceful shutdown).
    func stopStorageProbe() {
        storageProbe?.cancel()
        storageProbe = nil
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

import Synchronization

/// Samples a process's resident set size while a scenario runs and reports its peak.
///
/// The kernel's `VmHWM` is the primary figure (exact, and since each embedded server
/// lives for one scenario, that scenario's peak); the samples are the fallback when
/// `VmHWM` is missing and a cross-check that the process was alive and measured.
final class PeakRSSSampler: Sendable {
    private let pid: Int32
    private let sampledPeak = Mutex<Int?>(nil)
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Starts sampling `pid` every `interval`.
    init(pid: Int32, interval: Duration = .milliseconds(20)) {
        self.pid = pid
        let sampling = Task { [weak self] in
            while !Task.isCancelled, let self {
                self.sample()
                try? await Task.sleep(for: interval)
            }
        }
        task.withLock { $0 = sampling }
    }

    private func sample() {
        if let rss = ProcessMemory.read(pid: pid).residentBytes {
            sampledPeak.withLock { $0 = max($0 ?? 0, rss) }
        }
    }

    /// Stops sampling; returns the peak in bytes (the kernel's, else the sampled one), or
    /// nil when neither could be read.
    func finish() -> Int? {
        task.withLock { $0?.cancel() }
        return peekPeak()
    }

    /// The peak so far, without stopping.
    func peekPeak() -> Int? {
        let kernel = ProcessMemory.read(pid: pid).peakResidentBytes
        let sampled = sampledPeak.withLock { $0 }
        return [kernel, sampled].compactMap { $0 }.max()
    }
}

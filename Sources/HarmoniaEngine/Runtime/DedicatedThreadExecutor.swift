import Foundation

/// A serial executor that runs every job of its actor on one thread of its own.
///
/// The engine loop commits to SQLite in place (`SynchronousCommitting`): an fsync takes
/// 0.2 ms on a quiet disk and hundreds of milliseconds on a loaded one. On Swift's
/// cooperative pool that wait would hold one of its threads (on two cores, half the pool)
/// that HTTP handlers and adapter completions need. On this thread it blocks only the loop,
/// which has nothing else to do until the commit is durable anyway.
///
/// The thread lives as long as the executor: the actor that owns it keeps it, and the
/// executor's `deinit` stops the thread once no job is left.
final class DedicatedThreadExecutor: SerialExecutor {
    private let queue: JobQueue

    /// Starts the thread, named `name` (as `top -H` and debuggers show it).
    init(name: String) {
        let queue = JobQueue()
        self.queue = queue
        let thread = Thread { [queue] in queue.serve() }
        thread.name = name
        thread.start()
    }

    deinit {
        queue.stop()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        queue.push(UnownedJob(job), executor: asUnownedSerialExecutor())
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Whether the caller runs on this executor's thread (what `assumeIsolated` relies on).
    func checkIsolated() {
        precondition(queue.isServingThread, "not on the engine's thread")
    }

    /// The jobs waiting for the thread, behind a condition variable.
    private final class JobQueue: @unchecked Sendable {
        private let condition = NSCondition()
        private var jobs: [(UnownedJob, UnownedSerialExecutor)] = []
        private var stopped = false
        private var servingThread: pthread_t?

        var isServingThread: Bool {
            condition.lock()
            defer { condition.unlock() }
            return servingThread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
        }

        func push(_ job: UnownedJob, executor: UnownedSerialExecutor) {
            condition.lock()
            jobs.append((job, executor))
            condition.signal()
            condition.unlock()
        }

        func stop() {
            condition.lock()
            stopped = true
            condition.signal()
            condition.unlock()
        }

        /// The thread's body: runs jobs in arrival order until stopped and empty.
        func serve() {
            condition.lock()
            servingThread = pthread_self()
            condition.unlock()
            var batch: [(UnownedJob, UnownedSerialExecutor)] = []
            while true {
                condition.lock()
                while jobs.isEmpty && !stopped { condition.wait() }
                if jobs.isEmpty {
                    condition.unlock()
                    return
                }
                swap(&batch, &jobs)
                condition.unlock()
                for (job, executor) in batch { job.runSynchronously(on: executor) }
                batch.removeAll(keepingCapacity: true)
            }
        }
    }
}

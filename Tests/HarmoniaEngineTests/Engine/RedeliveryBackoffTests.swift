import HarmoniaEngine
import Testing

/// The delay before inputs whose commit failed are delivered again: doubling per failed
/// commit in a row, capped, configurable.
struct RedeliveryBackoffTests {
    @Test("defaults: 1 s, then 2, 4, 8, 16, then 30 s at most")
    func defaultsDoubleUpToTheCap() {
        let configuration = EngineConfiguration()
        #expect((0..<7).map { configuration.redeliveryDelay(afterFailedCommits: $0) } == [1, 2, 4, 8, 16, 30, 30])
        #expect(configuration.redeliveryDelay(afterFailedCommits: 10_000) == 30)
    }

    @Test("configured: the initial delay and the cap apply; a cap below the initial delay keeps the initial")
    func configuredDelays() {
        var configuration = EngineConfiguration()
        configuration.redeliveryDelay = 0.05
        configuration.maxRedeliveryDelay = 0.3
        #expect((0..<5).map { configuration.redeliveryDelay(afterFailedCommits: $0) } == [0.05, 0.1, 0.2, 0.3, 0.3])
        configuration.maxRedeliveryDelay = 0.01
        #expect(configuration.redeliveryDelay(afterFailedCommits: 3) == 0.05)
        configuration.redeliveryDelay = 0
        #expect(configuration.redeliveryDelay(afterFailedCommits: 3) == 0)
    }
}

import Foundation
import HarmoniaEngine
import Testing

@testable import HarmoniaServer

/// The limit settings of the hardening issue: read from the file and the environment, and
/// every duration range-checked (a `1e30` interval aborted the process when first armed).
struct LimitConfigurationTests {
    @Test func defaultsAreTheDocumentedOnes() throws {
        let configuration = try HarmoniaConfiguration.load(file: nil, environment: [:], overrides: .init())
        #expect(configuration.http == HTTPLimits())
        #expect(configuration.http.requestHeadTimeout == 10)
        #expect(configuration.http.requestBodyTimeout == 30)
        #expect(configuration.http.idleTimeout == 60)
        #expect(configuration.http.maxHeaderCount == 100)
        #expect(configuration.http.maxHeaderBytes == 32768)
        #expect(configuration.http.maxURIBytes == 8192)
        #expect(configuration.http.maxConnections == 2048)
        #expect(configuration.engine.maxTaskInputBytes == 2 << 20)
        #expect(configuration.engine.maxTaskOutputBytes == 2 << 20)
        #expect(configuration.engine.maxQueuedRequests == 10_000)
        #expect(configuration.engine.redeliveryDelay == 1)
        #expect(configuration.engine.maxRedeliveryDelay == 30)
    }

    @Test func fileThenEnvironment() throws {
        let file = try TemporaryFile(
            """
            server:
              request_head_timeout: 5
              idle_timeout: 15
              max_connections: 100
              max_uri_bytes: 2048
            engine:
              max_task_output_bytes: 65536
              max_queued_requests: 500
              redelivery_delay: 0.25
            """)
        let fromFile = try HarmoniaConfiguration.load(file: file.path, environment: [:], overrides: .init())
        #expect(fromFile.http.requestHeadTimeout == 5)
        #expect(fromFile.http.idleTimeout == 15)
        #expect(fromFile.http.maxConnections == 100)
        #expect(fromFile.http.maxURIBytes == 2048)
        #expect(fromFile.engine.maxTaskOutputBytes == 65536)
        #expect(fromFile.engine.maxQueuedRequests == 500)
        #expect(fromFile.engine.redeliveryDelay == 0.25)
        let environment = [
            "HARMONIA_REQUEST_HEAD_TIMEOUT": "2.5", "HARMONIA_MAX_CONNECTIONS": "50", "HARMONIA_MAX_TASK_INPUT_BYTES": "1024",
            "HARMONIA_MAX_REDELIVERY_DELAY": "5",
        ]
        let fromEnvironment = try HarmoniaConfiguration.load(file: file.path, environment: environment, overrides: .init())
        #expect(fromEnvironment.http.requestHeadTimeout == 2.5)
        #expect(fromEnvironment.http.maxConnections == 50)
        #expect(fromEnvironment.engine.maxTaskInputBytes == 1024)
        #expect(fromEnvironment.engine.maxRedeliveryDelay == 5)
        #expect(fromEnvironment.engine.redeliveryDelay == 0.25)
        #expect(fromEnvironment.http.idleTimeout == 15)
    }

    @Test(arguments: [
        ("server:\n  request_head_timeout: 1e30\n", "server.request_head_timeout"),
        ("server:\n  idle_timeout: 0\n", "server.idle_timeout"),
        ("server:\n  max_connections: 0\n", "server.max_connections"),
        ("engine:\n  max_task_output_bytes: -1\n", "engine.max_task_output_bytes"),
        ("engine:\n  max_queued_requests: 0\n", "engine.max_queued_requests"),
        ("engine:\n  redelivery_delay: 1e30\n", "engine.redelivery_delay"),
        ("engine:\n  checkpoint_interval: 1e21\n", "engine.checkpoint_interval"),
        ("engine:\n  shutdown_grace_period: 1e21\n", "engine.shutdown_grace_period"),
        ("hermes:\n  url: http://127.0.0.1:1\n  heartbeat_interval: 1e21\n", "hermes.heartbeat_interval"),
    ])
    func outOfRangeFileValuesAreNamed(yaml: String, key: String) throws {
        let file = try TemporaryFile(yaml)
        let error = try #require(throws: ConfigurationError.self) {
            try HarmoniaConfiguration.load(file: file.path, environment: [:], overrides: .init())
        }
        #expect(error.key == key)
    }

    @Test(arguments: [
        ("HARMONIA_CHECKPOINT_INTERVAL", "1e30"), ("HARMONIA_REQUEST_BODY_TIMEOUT", "1e21"),
        ("HARMONIA_IDLE_TIMEOUT", "soon"), ("HARMONIA_MAX_HEADER_COUNT", "0"),
    ])
    func outOfRangeEnvironmentValuesAreNamed(name: String, value: String) throws {
        let error = try #require(throws: ConfigurationError.self) {
            try HarmoniaConfiguration.load(file: nil, environment: [name: value], overrides: .init())
        }
        #expect(error.key == name)
    }
}

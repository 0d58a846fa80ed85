// swift-tools-version: 6.2
import PackageDescription

/// Harmonia: a workflow orchestration server for the Tekton ecosystem.
///
/// Layers depend only on those listed before them:
/// HarmoniaCore → HarmoniaStorageSQLite → HarmoniaEngine → HarmoniaAPIModels
/// → HarmoniaClient → HarmoniaMCP → HarmoniaServer → harmonia (CLI).
let package = Package(
    name: "harmonia",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "harmonia", targets: ["harmonia"]),
        .library(name: "HarmoniaCore", targets: ["HarmoniaCore"]),
        .library(name: "HarmoniaClient", targets: ["HarmoniaClient"]),
        .library(name: "HarmoniaServer", targets: ["HarmoniaServer"]),
        // Plugins: the loader, the ABI header re-exported, and adapters as shared libraries.
        .library(name: "HarmoniaPlugins", targets: ["HarmoniaPlugins"]),
        .library(name: "HarmoniaPluginABI", targets: ["HarmoniaPluginABI"]),
        .library(name: "HarmoniaEcho", type: .dynamic, targets: ["EchoAdapter"]),
        // The Tekton adapters, each a shared library: libHarmonia<Name>.so (docs/adapters.md).
        .library(name: "HarmoniaErgon", type: .dynamic, targets: ["ErgonPlugin"]),
        .library(name: "HarmoniaPrometheus", type: .dynamic, targets: ["PrometheusPlugin"]),
        .library(name: "HarmoniaRhetor", type: .dynamic, targets: ["RhetorPlugin"]),
        .library(name: "HarmoniaEngram", type: .dynamic, targets: ["EngramPlugin"]),
        .library(name: "HarmoniaSynthesis", type: .dynamic, targets: ["SynthesisPlugin"]),
        .executable(name: "harmonia-plugin-bench", targets: ["harmonia-plugin-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        // Named only because targets import their modules directly (NIOCore, NIOHTTP1,
        // HTTPTypes); Hummingbird and AsyncHTTPClient bring them anyway.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.0"),
        // Configuration providers (file, environment, flags) for `harmonia serve`; no traits:
        // the file is read by our own strict YAML 1.2 reader.
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: []),
        // The Model Context Protocol: server, Streamable HTTP and stdio transports (HarmoniaMCP).
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        // The plugin ABI header and the adapter SDK: a nested package with no dependencies.
        .package(path: "Plugins/HarmoniaPluginKit"),
    ],
    targets: [
        // Domain model, definitions, expressions and the pure scheduler. No I/O.
        .target(
            name: "HarmoniaCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "HarmoniaJSON", package: "HarmoniaPluginKit"),
            ]
        ),
        // The Store protocol's SQLite implementation (GRDB, system SQLite).
        .target(
            name: "HarmoniaStorageSQLite",
            dependencies: [
                "HarmoniaCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for the statements that bypass GRDB on the hot path.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The shared conformance suite every Store implementation must pass.
        .target(
            name: "HarmoniaStoreConformance",
            dependencies: ["HarmoniaCore"]
        ),
        // The runner that drives the scheduler: group commit, timers, adapters, recovery.
        .target(
            name: "HarmoniaEngine",
            dependencies: [
                "HarmoniaCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Plugin loader: trust checks, dlopen, ABI handshake, host table, PluginAdapter bridge.
        .target(
            name: "HarmoniaPlugins",
            dependencies: [
                "HarmoniaCore",
                .product(name: "CHarmoniaPluginABI", package: "HarmoniaPluginKit"),
                .product(name: "HarmoniaSpawn", package: "HarmoniaPluginKit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Re-exports the ABI header for adapters that depend on this package.
        .target(
            name: "HarmoniaPluginABI",
            dependencies: [.product(name: "CHarmoniaPluginABI", package: "HarmoniaPluginKit")]
        ),
        // A tiny Swift adapter (component `echo`) built as libHarmoniaEcho.so; used by the plugin tests.
        .target(
            name: "EchoAdapter",
            dependencies: [.product(name: "HarmoniaPluginKit", package: "HarmoniaPluginKit")],
            path: "Plugins/Echo"
        ),
        // The Tekton adapters: <Name>Adapter holds the logic (HarmoniaPluginKit only, so the
        // tests can link it), <Name>Plugin only the exported `harmonia_plugin_describe`.
        .target(name: "ErgonAdapter", dependencies: [.product(name: "HarmoniaPluginKit", package: "HarmoniaPluginKit"), .product(name: "HarmoniaSpawn", package: "HarmoniaPluginKit")], path: "Plugins/Ergon/Adapter"),
        .target(name: "ErgonPlugin", dependencies: ["ErgonAdapter", .product(name: "HarmoniaPluginKit", package: "HarmoniaPluginKit")], path: "Plugins/Ergon/Plugin"),
        .target(name: "PrometheusAdapter", dependencies: [.product(name: "HarmoniaPluginKit", package: "HarmoniaPluginKit")], path: "Plugins/Prometheus/Adapter"),
        .target(name: "PrometheusPlugin", dependencies: ["PrometheusAdapter", .product(name: "HarmoniaPluginKit", package: "HarmoniaPluginKit")], path: "Plugins/Prometheus/Plugin"),
        .target(name: "RhetorAdapter", dependencies: [.product(name: "HarmoniaPluginKit", package: "HarmoniaPluginKit")], path: "Plugins/Rhetor/Adapter"),
        .target(name: "RhetorPlugin", dependencies: ["RhetorAdapter", .product(name: "HarmoniaPluginKit", package: "HarmoniaPluginKit")], path: "Plugins/Rhetor/Plugin"),
        .target(name: "EngramAdapter", dependencies: [.product(name: "HarmoniaPluginKit", package: "HarmoniaPluginKit")], path: "Plugins/Engram/Adapter"),
        .target(name: "EngramPlugin", dependencies: ["EngramAdapter", .product(name: "HarmoniaPluginKit", package: "HarmoniaPluginKit")], path: "Plugins/Engram/Plugin"),
        .target(name: "SynthesisAdapter", dependencies: [.product(name: "HarmoniaPluginKit", package: "HarmoniaPluginKit")], path: "Plugins/Synthesis/Adapter"),
        .target(name: "SynthesisPlugin", dependencies: ["SynthesisAdapter", .product(name: "HarmoniaPluginKit", package: "HarmoniaPluginKit")], path: "Plugins/Synthesis/Plugin"),
        // Micro-benchmark of one no-op invoke → completion through the C ABI.
        .executableTarget(
            name: "harmonia-plugin-bench",
            dependencies: ["HarmoniaPlugins", "HarmoniaCore", "HarmoniaEngine", .product(name: "HarmoniaSpawn", package: "HarmoniaPluginKit")]
        ),
        // Hermes: registration (register, heartbeat, unregister) and the discovery reconciler
        // that maps registry entries to adapters.
        .target(
            name: "HarmoniaDiscovery",
            dependencies: [
                "HarmoniaCore",
                "HarmoniaPlugins",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Codable wire types shared by the server and the client.
        .target(
            name: "HarmoniaAPIModels",
            dependencies: ["HarmoniaCore"]
        ),
        // The MCP tools and resources (swift-sdk), served by the server at /mcp and by
        // `harmonia mcp` on stdio; both call the REST API through HarmoniaClient.
        .target(
            name: "HarmoniaMCP",
            dependencies: [
                "HarmoniaClient",
                "HarmoniaAPIModels",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                "HarmoniaCore",
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Hummingbird application: REST routes, configuration, service wiring.
        .target(
            name: "HarmoniaServer",
            dependencies: [
                "HarmoniaCore",
                "HarmoniaEngine",
                "HarmoniaStorageSQLite",
                "HarmoniaAPIModels",
                "HarmoniaPlugins",
                "HarmoniaDiscovery",
                "HarmoniaMCP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                "HarmoniaClient",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            // The dashboard's HTML, JS and CSS, served from the bundle at /ui.
            resources: [.copy("Resources/dashboard"), .copy("Resources/schemas"), .copy("Resources/openapi")]
        ),
        // Swift client library for the REST API.
        .target(
            name: "HarmoniaClient",
            dependencies: [
                "HarmoniaAPIModels",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                "HarmoniaCore",
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // `harmonia bench`: scenarios against a server child process (or --url), the raw
        // SQLite commit rate for comparison, table and JSON-lines reports.
        .target(
            name: "HarmoniaBench",
            dependencies: [
                "HarmoniaClient", .product(name: "HarmoniaSpawn", package: "HarmoniaPluginKit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                "HarmoniaCore",
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The `harmonia` command line: serve, run, executions, bench.
        .executableTarget(
            name: "harmonia",
            dependencies: [
                "HarmoniaServer",
                "HarmoniaClient",
                "HarmoniaDiscovery",
                "HarmoniaBench",
                "HarmoniaMCP",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "HarmoniaCore",
                "HarmoniaPlugins",
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),

        .testTarget(name: "HarmoniaCoreTests", dependencies: ["HarmoniaCore"]),
        .testTarget(
            name: "HarmoniaStorageSQLiteTests",
            dependencies: ["HarmoniaStorageSQLite", "HarmoniaStoreConformance", "HarmoniaTestSupport", .product(name: "GRDB", package: "GRDB.swift"), "HarmoniaCore"],
            // A database written by the previous schema, read by OldSchemaReadTests.
            exclude: ["Fixtures"]
        ),
        // Helpers shared by several test targets (test targets cannot import each other).
        .target(
            name: "HarmoniaTestSupport",
            dependencies: ["HarmoniaCore"],
            path: "Tests/HarmoniaTestSupport"
        ),
        .testTarget(
            name: "HarmoniaEngineTests",
            dependencies: ["HarmoniaEngine", "HarmoniaStorageSQLite", "HarmoniaTestSupport", "HarmoniaCore", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "HarmoniaPluginsTests",
            dependencies: [
                "HarmoniaPlugins", "HarmoniaEngine", "HarmoniaStorageSQLite", "HarmoniaTestSupport",
                .product(name: "Logging", package: "swift-log"), .product(name: "HarmoniaSpawn", package: "HarmoniaPluginKit"),
                "HarmoniaCore",
                .product(name: "CHarmoniaPluginABI", package: "HarmoniaPluginKit"),
            ],
            exclude: ["Fixtures"]
        ),
        // The Tekton adapters against doubles of their components (Hummingbird), and end to end
        // through the engine with the adapters loaded from their libHarmonia<Name>.so files.
        .testTarget(
            name: "TektonAdaptersTests",
            dependencies: [
                "ErgonAdapter", "PrometheusAdapter", "RhetorAdapter", "EngramAdapter", "SynthesisAdapter",
                "HarmoniaPlugins", "HarmoniaEngine", "HarmoniaStorageSQLite", .product(name: "HarmoniaSpawn", package: "HarmoniaPluginKit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HarmoniaPluginKit", package: "HarmoniaPluginKit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                "HarmoniaCore",
            ]
        ),
        .testTarget(
            name: "HarmoniaDiscoveryTests",
            dependencies: [
                "HarmoniaDiscovery",
                "HarmoniaTestSupport",
                .product(name: "HarmoniaSpawn", package: "HarmoniaPluginKit"),
                "HarmoniaPlugins",
                "HarmoniaEngine",
                "HarmoniaStorageSQLite",
                .product(name: "Hummingbird", package: "hummingbird"),
                "HarmoniaCore",
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Commit-to-subscriber latency of the SSE streams with many subscribers (release build).
        .executableTarget(
            name: "harmonia-events-bench",
            dependencies: [
                "HarmoniaServer",
                "HarmoniaClient",
                "HarmoniaEngine",
                "HarmoniaStorageSQLite",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                "HarmoniaCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Live streams over real sockets (SSE, WebSocket), the dashboard in headless Chromium, metrics.
        .testTarget(
            name: "HarmoniaStreamingTests",
            dependencies: [
                "HarmoniaServer",
                "HarmoniaClient",
                .product(name: "HarmoniaSpawn", package: "HarmoniaPluginKit"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                "HarmoniaCore",
                "HarmoniaEngine",
                "HarmoniaStorageSQLite",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "HarmoniaServerTests",
            dependencies: [
                "HarmoniaServer",
                "HarmoniaTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                // `PRAGMA max_page_count` on the store's writer: a real full disk for the tests.
                .product(name: "GRDB", package: "GRDB.swift"),
                "HarmoniaCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                "HarmoniaAPIModels",
                "HarmoniaEngine",
                "HarmoniaStorageSQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                "HarmoniaPlugins",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            // The API's golden answers, compared by APIGoldenTests.
            exclude: ["Golden"]
        ),
        // Template and checkpoint routes over HTTP, and every HarmoniaClient method against a
        // live in-process server (a counting adapter proves what ran).
        .testTarget(
            name: "HarmoniaClientTests",
            dependencies: [
                "HarmoniaClient",
                "HarmoniaTestSupport",
                "HarmoniaServer",
                "HarmoniaEngine",
                "HarmoniaStorageSQLite",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                "HarmoniaCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                "HarmoniaAPIModels",
            ]
        ),
        // End-to-end tests that run the real `harmonia` binary in a subprocess (kill -9 recovery).
        .testTarget(
            name: "HarmoniaCLITests",
            dependencies: [
                "harmonia", "HarmoniaClient", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HarmoniaSpawn", package: "HarmoniaPluginKit"),
                "HarmoniaCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)

for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    // A member is visible only where its module is imported, so every module a file uses is
    // imported there and declared here (CI builds with --explicit-target-dependency-import-check).
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}

// swift-tools-version: 6.2
import PackageDescription

/// The adapter plugin contract, alone: the C header (`CHarmoniaPluginABI`) and the Swift SDK
/// adapter authors use (`HarmoniaPluginKit`, Foundation only).
///
/// It has no dependencies on purpose: an out-of-tree adapter depends on this small package
/// and never makes SwiftPM resolve the server's dependency graph.
let package = Package(
    name: "HarmoniaPluginKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "CHarmoniaPluginABI", targets: ["CHarmoniaPluginABI"]),
        .library(name: "HarmoniaPluginKit", targets: ["HarmoniaPluginKit"]),
        .library(name: "HarmoniaSpawn", targets: ["HarmoniaSpawn"]),
        .library(name: "HarmoniaJSON", targets: ["HarmoniaJSON"]),
    ],
    targets: [
        // The ABI: include/harmonia_plugin.h and nothing else.
        .target(name: "CHarmoniaPluginABI"),
        // The one strict JSON parser and writer, shared by the server and the SDK (no
        // dependencies at all, not even Foundation).
        .target(name: "HarmoniaJSON"),
        // The Swift SDK: one protocol to implement, one line to export it.
        .target(name: "HarmoniaPluginKit", dependencies: ["CHarmoniaPluginABI", "HarmoniaJSON"]),
        // Child processes without Foundation's `Process` (see SpawnedProcess.swift), for
        // adapters that run commands, the server's tools and the tests.
        .target(name: "CHarmoniaSpawn"),
        .target(name: "HarmoniaSpawn", dependencies: ["CHarmoniaSpawn"]),
        .testTarget(name: "HarmoniaJSONTests", dependencies: ["HarmoniaJSON"]),
        .testTarget(name: "HarmoniaPluginKitTests", dependencies: ["HarmoniaPluginKit", "HarmoniaSpawn", "HarmoniaJSON"]),
    ]
)

for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    target.swiftSettings = settings
}

import Foundation
import HarmoniaSpawn

/// A C adapter compiled for a CLI test: `cc -shared -fPIC` against the ABI header alone,
/// as an adapter author outside the project would build it (nothing prebuilt is committed).
enum CAdapter {
    static let headerDirectory = CLITests.repositoryRoot
        .appendingPathComponent("Plugins/HarmoniaPluginKit/Sources/CHarmoniaPluginABI/include").path

    /// `Plugins/ExampleC/example_adapter.c` (component `example`).
    static let example = CLITests.repositoryRoot.appendingPathComponent("Plugins/ExampleC/example_adapter.c").path

    /// `Plugins/FaultInjectionC/fault_adapter.c` (component `faults`): latency, errors,
    /// never completes, completes twice, malformed output, crash.
    static let faults = CLITests.repositoryRoot.appendingPathComponent("Plugins/FaultInjectionC/fault_adapter.c").path

    /// Compiles `source` into `directory/name` (mode 0755). `cc` runs on a Dispatch thread:
    /// waiting for a process must not hold one of the cooperative pool's two threads.
    static func build(_ source: String, into directory: String, name: String) async throws -> String {
        let output = directory + "/" + name
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result {
                        // posix_spawn, not Foundation's Process (see SpawnedProcess).
                        let process = try SpawnedProcess(
                            executable: "/usr/bin/env",
                            arguments: [
                                "cc", "-shared", "-fPIC", "-O1", "-std=c11", "-I", headerDirectory, "-o", output, source,
                                "-lpthread",
                            ],
                            environment: ProcessInfo.processInfo.environment, stdout: .inherit, stderr: .pipe)
                        let message = FileHandle(fileDescriptor: process.stderr!, closeOnDealloc: true).readDataToEndOfFile()
                        guard process.waitUntilExit() == .init(status: 0, signaled: false) else {
                            throw CAdapterBuildFailure(description: "cc \(source): \(String(decoding: message, as: UTF8.self))")
                        }
                        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: output)
                        return output
                    })
            }
        }
    }
}

/// `cc` refused an adapter's source.
struct CAdapterBuildFailure: Error, CustomStringConvertible {
    var description: String
}

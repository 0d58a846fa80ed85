import Foundation
import HarmoniaSpawn

/// The fault-injecting C adapter (`Plugins/FaultInjectionC/fault_adapter.c`, component
/// `faults`) compiled with `cc -shared -fPIC` against the ABI header alone, as a third-party
/// adapter is built: a library not shipped with Harmonia.
enum FaultAdapter {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Compiles it into `directory/libfaults.so` (mode 0755) on a Dispatch thread: waiting
    /// for `cc` must not hold one of the cooperative pool's two threads.
    static func build(into directory: URL) async throws {
        let output = directory.appendingPathComponent("libfaults.so").path
        let arguments = [
            "cc", "-shared", "-fPIC", "-O1", "-std=c11",
            "-I", root.appendingPathComponent("Plugins/HarmoniaPluginKit/Sources/CHarmoniaPluginABI/include").path,
            "-o", output, root.appendingPathComponent("Plugins/FaultInjectionC/fault_adapter.c").path, "-lpthread",
        ]
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result {
                        // posix_spawn, not Foundation's Process (see SpawnedProcess).
                        let process = try SpawnedProcess(
                            executable: "/usr/bin/env", arguments: arguments, environment: ProcessInfo.processInfo.environment,
                            stdout: .inherit, stderr: .pipe)
                        let message = FileHandle(fileDescriptor: process.stderr!, closeOnDealloc: true).readDataToEndOfFile()
                        guard process.waitUntilExit() == .init(status: 0, signaled: false) else {
                            throw Failure(description: "cc fault_adapter.c: \(String(decoding: message, as: UTF8.self))")
                        }
                        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: output)
                    })
            }
        }
    }

    /// The `harmonia plugin-host` children of process `parent`.
    static func pluginHosts(of parent: pid_t) -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
            else { return false }
            let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
            return fields.count > 2 && Int32(fields[1]) == parent
                && String(decoding: cmdline, as: UTF8.self).contains("plugin-host")
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }
}

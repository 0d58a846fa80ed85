import Foundation
import HarmoniaCore

/// The machine a result was measured on, printed with every result: numbers from a loaded
/// 2-core debug build and an idle 16-core release build must never be compared unawares.
public struct MachineInfo: Sendable, Hashable {
    /// Online processors.
    public var cores: Int
    /// Physical memory, MiB.
    public var memoryMB: Int
    /// Distribution and kernel, e.g. "Ubuntu 24.04 LTS (Linux 6.8.0 x86_64)".
    public var os: String
    /// "debug" or "release": how this binary (and so the embedded server) was compiled.
    public var buildMode: String
    /// The Swift compiler version this binary was built with (major.minor).
    public var swift: String

    public static func current() -> MachineInfo {
        MachineInfo(
            cores: ProcessInfo.processInfo.activeProcessorCount,
            memoryMB: Int(ProcessInfo.processInfo.physicalMemory / (1024 * 1024)),
            os: operatingSystem(),
            buildMode: buildMode,
            swift: swiftVersion)
    }

    /// Decided at compile time: the bench and the server it starts are the same binary.
    static var buildMode: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    static var swiftVersion: String {
        #if compiler(>=6.5)
        ">=6.5"
        #elseif compiler(>=6.4)
        "6.4"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #else
        "<6.2"
        #endif
    }

    /// `PRETTY_NAME` from /etc/os-release, with the kernel from `uname`.
    static func operatingSystem() -> String {
        var name = utsname()
        uname(&name)
        let kernel = [name.sysname, name.release, name.machine].map(field).joined(separator: " ")
        let release = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8))?
            .split(separator: "\n")
            .first { $0.hasPrefix("PRETTY_NAME=") }
            .map { $0.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        guard let release, !release.isEmpty else { return kernel }
        return "\(release) (\(kernel))"
    }

    /// A fixed-size C character array from `utsname` as a String.
    private static func field<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    var json: JSONValue {
        [
            "cores": .integer(cores), "memory_mb": .integer(memoryMB), "os": .string(os),
            "build_mode": .string(buildMode), "swift": .string(swift),
        ]
    }
}

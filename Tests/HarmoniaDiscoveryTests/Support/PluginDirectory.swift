import Foundation
import HarmoniaCore

/// A fresh plugin directory (mode 0755, as the loader's trust check wants) holding copies
/// of adapter libraries that SwiftPM built next to the test bundle.
struct PluginDirectory {
    let url: URL
    var path: String { url.path }

    init(libraries: [String]) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-discovery-\(UUID().uuidString)")
        url = root.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root.path)
        for library in libraries {
            let target = url.appendingPathComponent(library)
            try FileManager.default.copyItem(at: try Self.built(library), to: target)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target.path)
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: url.deletingLastPathComponent())
    }

    /// `name` in the build products directory (next to the test bundle or a few levels up).
    static func built(_ name: String) throws -> URL {
        let executable = URL(
            fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        var directory = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw HarmoniaError(.notFound, "\(name) not found near \(executable.path): build the package's products first")
    }
}

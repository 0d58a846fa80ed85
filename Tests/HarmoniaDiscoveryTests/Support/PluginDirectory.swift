import Foundation
import HarmoniaCore
import HarmoniaPlugins

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

    /// Copies a built library in as `install -m 755` does: a new file (a new inode) renamed
    /// into place, so the directory never shows a half-written `.so`.
    func install(_ library: String) throws {
        let staging = url.appendingPathComponent(".\(UUID().uuidString).tmp")
        try FileManager.default.copyItem(at: try Self.built(library), to: staging)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: staging.path)
        let target = url.appendingPathComponent(library)
        // rename(2) replaces an existing file atomically; FileManager's move refuses to.
        guard rename(staging.path, target.path) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    /// The file names of the plugin files `manager` has in service, sorted.
    func loaded(by manager: PluginManager) -> [String] {
        manager.records.filter { $0.status == .loaded }.map { ($0.path as NSString).lastPathComponent }.sorted()
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

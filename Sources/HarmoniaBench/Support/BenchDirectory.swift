import Foundation
import HarmoniaCore

/// Where a run keeps its files: the user's `--data-dir` (kept afterwards), else a fresh
/// temporary directory that is removed when the run ends.
struct BenchDirectory: Sendable {
    let path: String
    let isTemporary: Bool

    init(_ given: String?) throws {
        if let given {
            path = URL(fileURLWithPath: given).standardizedFileURL.path
            isTemporary = false
        } else {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-bench-\(UUID().uuidString.lowercased())").path
            isTemporary = true
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw HarmoniaError(.benchInvalidOption, "cannot create the bench directory \(path): \(error.localizedDescription)")
        }
    }

    /// A new directory for one scenario, never one a previous run left behind.
    func subdirectory(_ name: String) throws -> String {
        let stamp = UUID().uuidString.lowercased().prefix(8)
        let directory = (path as NSString).appendingPathComponent("\(name)-\(stamp)")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw HarmoniaError(.benchInvalidOption, "cannot create \(directory): \(error.localizedDescription)")
        }
        return directory
    }

    func removeIfTemporary() {
        if isTemporary { try? FileManager.default.removeItem(atPath: path) }
    }
}

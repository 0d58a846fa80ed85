import Foundation

/// A process's memory as Linux reports it in `/proc/<pid>/status`.
///
/// `VmHWM` is the kernel's own peak resident set size since the process started: exact,
/// where sampling `VmRSS` can miss a short spike. Both are nil where `/proc` does not
/// exist (macOS) or the process is gone.
struct ProcessMemory: Sendable, Hashable {
    /// Peak resident set size, bytes.
    var peakResidentBytes: Int?
    /// Current resident set size, bytes.
    var residentBytes: Int?

    /// Reads `/proc/<pid>/status`; nil fields when it cannot be read.
    static func read(pid: Int32) -> ProcessMemory {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else {
            return ProcessMemory(peakResidentBytes: nil, residentBytes: nil)
        }
        return parse(status: text)
    }

    /// Parses the `VmHWM:` and `VmRSS:` lines (values in kB).
    static func parse(status text: String) -> ProcessMemory {
        var memory = ProcessMemory(peakResidentBytes: nil, residentBytes: nil)
        for line in text.split(separator: "\n") {
            if line.hasPrefix("VmHWM:") {
                memory.peakResidentBytes = kilobytes(line).map { $0 * 1024 }
            } else if line.hasPrefix("VmRSS:") {
                memory.residentBytes = kilobytes(line).map { $0 * 1024 }
            }
        }
        return memory
    }

    private static func kilobytes(_ line: Substring) -> Int? {
        line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
    }
}

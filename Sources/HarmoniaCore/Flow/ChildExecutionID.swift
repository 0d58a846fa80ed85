import Foundation

/// The id of the child execution of one attempt of a `harmonia.run_workflow` task.
///
/// It is a function of (parent execution, task, attempt), so it is known before the child
/// exists and needs no write of its own: the attempt is stored with the task's start, and
/// after a crash the same attempt finds the same child instead of starting a second one.
/// The digest is FNV-1a over 128 bits, formatted as a UUID (version 8, "custom").
public enum ChildExecutionID {
    public static func make(parent: String, taskID: String, attempt: Int) -> String {
        var hash: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d
        let prime: UInt128 = 0x0000_0000_0100_0000_0000_0000_0000_013b
        for byte in "\(parent)\u{0}\(taskID)\u{0}\(attempt)".utf8 {
            hash ^= UInt128(byte)
            hash = hash &* prime
        }
        var bytes = (0..<16).map { UInt8(truncatingIfNeeded: hash >> (8 * (15 - $0))) }
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }.joined(separator: "-")
    }
}

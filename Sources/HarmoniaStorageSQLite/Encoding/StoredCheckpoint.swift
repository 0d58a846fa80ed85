import Foundation
import HarmoniaCore

/// A checkpoint's snapshot as stored: the checkpoint's canonical JSON (snake_case keys,
/// dates as milliseconds since 1970, matching the precision of every other date column).
enum StoredCheckpoint {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static func encode(_ checkpoint: Checkpoint) throws -> [UInt8] {
        Array(try encoder.encode(checkpoint))
    }

    static func decode(_ text: String, column: String) throws -> Checkpoint {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        do {
            return try decoder.decode(Checkpoint.self, from: Data(text.utf8))
        } catch {
            throw HarmoniaError(.storageFailure, "stored \(column) is not a valid checkpoint: \(error)")
        }
    }
}

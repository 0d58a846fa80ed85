import Foundation

/// A directory for one test's database files, removed when the test is done.
struct TemporaryDatabase {
    let directory: URL

    init() {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("harmonia-sqlite-test-\(UUID().uuidString.lowercased())", isDirectory: true)
    }

    /// The database file path (the store creates the directory).
    var path: String { directory.appendingPathComponent("harmonia.sqlite").path }

    /// Runs `body` with this database and removes its files afterwards, even when it throws.
    static func with<T>(_ body: (TemporaryDatabase) async throws -> T) async throws -> T {
        let database = TemporaryDatabase()
        defer { try? FileManager.default.removeItem(at: database.directory) }
        return try await body(database)
    }
}

import Foundation
import Hummingbird
import NIOCore

/// The dashboard's static files (HTML, JS, CSS), shipped as package resources and read
/// once: no CDN, no build step, nothing fetched from the network.
struct DashboardAssets: Sendable {
    struct Asset: Sendable {
        let contentType: String
        let bytes: ByteBuffer
    }

    /// File name → asset. Empty when the resources are missing (a broken install): the
    /// dashboard routes then answer 404 with a clear message instead of crashing.
    let files: [String: Asset]

    static let shared = DashboardAssets.load()

    static let contentTypes = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8",
        "css": "text/css; charset=utf-8", "svg": "image/svg+xml",
    ]

    static func load() -> DashboardAssets {
        guard let directory = Bundle.module.url(forResource: "dashboard", withExtension: nil),
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return DashboardAssets(files: [:]) }
        var files: [String: Asset] = [:]
        for name in names {
            let ext = (name as NSString).pathExtension
            guard let type = contentTypes[ext],
                let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)
            else { continue }
            files[name] = Asset(contentType: type, bytes: ByteBuffer(bytes: data))
        }
        return DashboardAssets(files: files)
    }

    /// The response for one file, or nil when there is no such file.
    func response(for name: String) -> Response? {
        guard let asset = files[name] else { return nil }
        var headers = HTTPFields()
        headers[.contentType] = asset.contentType
        // Small files that change with the server version: revalidate, never stale.
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.bytes))
    }

    /// True when the request is from a browser: it accepts `text/html` (API clients send
    /// `application/json` or nothing).
    static func prefersHTML(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept]?.lowercased() else { return false }
        return accept.contains("text/html")
    }
}

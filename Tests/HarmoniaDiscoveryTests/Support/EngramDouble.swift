import HarmoniaCore
import Hummingbird
import Synchronization

/// Engram's `/api/esr/store` and `/health`, enough for the Engram adapter's `store_memory`:
/// each double has a name that ends up in the memory ids, so a test can tell which
/// instance (which endpoint) served a call.
final class EngramDouble: Sendable {
    let name: String
    private let stored = Mutex<[JSONValue]>([])
    private let server = Mutex<LoopbackServer.Running?>(nil)
    /// The port of the first start, kept so a restarted double answers where Hermes says.
    private let port = Mutex<Int?>(nil)

    init(name: String) { self.name = name }

    var url: String { "http://127.0.0.1:\(port.withLock { $0 ?? 0 })" }
    var memories: [JSONValue] { stored.withLock { $0 } }

    /// Starts on a free port the first time, on the same port after a `stop` (a component
    /// that died and was started again, still listed in Hermes at its old endpoint).
    func start() async throws {
        let router = Router()
        router.get("/health") { _, _ in Self.json(.object(["status": "healthy", "component": "engram"])) }
        router.post("/api/esr/store") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let json = try JSONValue.parse(Array(body.readableBytesView))
            let id = self.stored.withLock { memories -> String in
                memories.append(json)
                return "\(self.name)-\(memories.count)"
            }
            return Self.json(.object(["status": "stored", "memory_id": .string(id)]))
        }
        let started = try await LoopbackServer.start(
            port: port.withLock { $0 } ?? 0, router: router, name: "engram-double")
        server.withLock { $0 = started }
        port.withLock { $0 = started.port }
    }

    /// Stops answering: connections to its port are refused, as for a component that died.
    func stop() async {
        guard let running = server.withLock({ state in defer { state = nil }; return state }) else { return }
        await running.stop()
    }

    static func json(_ value: JSONValue) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.jsonBytes())))
    }
}

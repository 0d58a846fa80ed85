import Foundation
import HarmoniaPluginKit
import Hummingbird
import Synchronization

/// Rhetor as observed on the wire (public Tekton source of 2025-09-27).
///
/// - A failed initialization makes the real Rhetor exit at start-up: the "down" Rhetor is no
///   double at all, a port nobody listens on (see `RhetorAdapterTests`). Its code still has
///   the 503 `{"detail": "Rhetor not initialized"}` answer (`notInitialized(for:)`), for a
///   build that stays up.
/// - `GET /api/v1/models` always fails with 500; the catalogue is `GET /api/models/` (a list)
///   and `GET /api/models/providers` (an object by provider name).
/// - `prompts/render` takes `template_name` (422 without it) and answers `{"prompt"}`; an
///   unknown template is a 400.
final class RhetorDouble: TektonDouble {
    private struct State {
        /// LLM requests still to be refused with 503.
        var refusalsLeft = 0
    }

    let calls = CallLog()
    private let state = Mutex(State())

    /// Answers the next `count` LLM requests with 503 "Rhetor not initialized", then works.
    func notInitialized(for count: Int) {
        state.withLock { $0.refusalsLeft = count }
    }

    /// True when this request must be refused (and counts it).
    private func refuse() -> Bool {
        state.withLock { state in
            guard state.refusalsLeft > 0 else { return false }
            state.refusalsLeft -= 1
            return true
        }
    }

    /// The templates the double knows.
    static let templates = ["greeting": "Hello {name}"]

    static let notInitializedResponse = Response.json(["detail": "Rhetor not initialized"], status: .serviceUnavailable)

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/health") { _, _ in Response.json(["status": "healthy", "component": "rhetor"]) }
        router.post("/api/v1/generate") { request, _ in
            if self.refuse() { return Self.notInitializedResponse }
            var request = request
            let body = try await request.json()
            guard let prompt = body["prompt"]?.stringValue else {
                return Response.json(["detail": [["loc": ["body", "prompt"], "msg": "field required"]]], status: .unprocessableContent)
            }
            return Response.json([
                "response": .string("Generated: \(prompt)"),
                "model": body["model"] ?? "double-model",
                "provider": "double",
                "usage": ["prompt_tokens": .integer(prompt.count), "completion_tokens": 3],
            ])
        }
        router.post("/api/v1/chat") { request, _ in
            if self.refuse() { return Self.notInitializedResponse }
            var request = request
            let body = try await request.json()
            let last = body["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
            return Response.json(["message": ["role": "assistant", "content": .string("Reply to: \(last)")], "model": "double-model"])
        }
        router.get("/api/v1/models") { _, _ in
            if self.refuse() { return Self.notInitializedResponse }
            return Response.json(["detail": "object list can't be used in 'await' expression"], status: .internalServerError)
        }
        router.get("/api/models") { request, _ in
            // Served with the slash only; FastAPI redirects `/api/models`.
            guard request.uri.path.hasSuffix("/") else { return PrometheusDouble.redirectToSlash(request) }
            return Response.json([
                [
                    "id": "double-model", "provider": "double", "name": "Double", "aliases": [], "capabilities": ["chat"],
                    "context_window": 8192, "max_output": 1024, "deprecated": false, "fallback": nil,
                ]
            ])
        }
        router.get("/api/models/providers") { _, _ in
            Response.json(["double": ["name": "double", "status": "available", "model_count": 1]])
        }
        router.post("/api/v1/prompts/render") { request, _ in
            var request = request
            let body = try await request.json()
            guard let name = body["template_name"]?.stringValue else {
                return Response.json(["detail": [["type": "missing", "loc": ["body", "template_name"], "msg": "Field required"]]], status: .unprocessableContent)
            }
            guard var text = Self.templates[name] else {
                return Response.json(["detail": .string("Template not found: \(name)")], status: .badRequest)
            }
            for (name, value) in body["variables"]?.objectValue ?? [:] {
                text = text.replacingOccurrences(of: "{\(name)}", with: value.stringValue ?? value.jsonString())
            }
            return Response.json(["prompt": .string(text)])
        }
    }
}

import Foundation
import HarmoniaPluginKit
import Hummingbird
import Synchronization

/// Rhetor as tekton.md describes it: LLM routes that answer 503
/// `{"detail": "Rhetor not initialized"}` until its models are up.
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
            return Response.json(["providers": ["double": ["available": true, "models": ["double-model"]]]])
        }
        router.post("/api/v1/prompts/render") { request, _ in
            var request = request
            let body = try await request.json()
            var text = body["template"]?.stringValue ?? "Template \(body["template_id"]?.stringValue ?? "?")"
            for (name, value) in body["variables"]?.objectValue ?? [:] {
                text = text.replacingOccurrences(of: "{\(name)}", with: value.stringValue ?? value.jsonString())
            }
            return Response.json(["rendered": .string(text)])
        }
    }
}

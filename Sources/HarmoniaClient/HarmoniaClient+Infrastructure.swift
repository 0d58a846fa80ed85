import HarmoniaAPIModels
import NIOHTTP1

extension HarmoniaClient {
    /// `GET /health`: answers while the process serves, even before recovery finished.
    public func health() async throws -> HealthResponse {
        try await send(HealthResponse.self, .GET, "/health")
    }

    /// `GET /ready`: true once the engine has recovered and accepts work; false on 503.
    public func isReady() async throws -> Bool {
        do {
            _ = try await send(.GET, "/ready")
            return true
        } catch let error as HarmoniaClientError where error.status == 503 {
            return false
        }
    }

    /// `GET /api/v1/status`: uptime, active executions, components.
    public func status() async throws -> StatusResponse {
        try await send(StatusResponse.self, .GET, Self.apiPath("status"))
    }
}

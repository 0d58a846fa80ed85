import HarmoniaCore
import Hummingbird

/// `/ui`: the dashboard page and its assets. `/` serves the same page to browsers (see
/// `InfrastructureRoutes.root`).
struct DashboardRoutes: Sendable {
    let assets: DashboardAssets

    func addRoutes(to router: Router<HarmoniaRequestContext>) {
        router.get("ui", use: index)
        router.get("ui/{file}", use: file)
    }

    @Sendable func index(_ request: Request, context: HarmoniaRequestContext) async throws -> Response {
        try page()
    }

    @Sendable func file(_ request: Request, context: HarmoniaRequestContext) async throws -> Response {
        let name = context.parameters.get("file") ?? ""
        guard let response = assets.response(for: name) else {
            throw HarmoniaError(.notFound, "no dashboard file named \(name)")
        }
        return response
    }

    func page() throws -> Response {
        guard let response = assets.response(for: "index.html") else {
            throw HarmoniaError(.notFound, "the dashboard is not installed (resources missing)")
        }
        return response
    }
}

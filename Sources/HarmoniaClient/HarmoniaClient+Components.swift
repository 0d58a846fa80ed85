import HarmoniaAPIModels
import HarmoniaCore
import NIOHTTP1

extension HarmoniaClient {
    /// `GET /components`: every component the server knows (built-in, configured, loaded
    /// from a plugin, listed by Hermes) with whether it can be called now, plus the plugin
    /// files refused and why.
    public func listComponents() async throws -> ComponentList {
        try await send(ComponentList.self, .GET, Self.apiPath("components"))
    }

    /// `GET /components/{name}/actions`: the component's actions with their input schemas.
    /// `not_found` for a component the server does not know.
    public func listComponentActions(component: String) async throws -> ComponentActions {
        try await send(ComponentActions.self, .GET, Self.apiPath("components", component, "actions"))
    }

    /// `GET /components/{name}/actions/{action}`: one action's description and input schema.
    public func getComponentAction(component: String, action: String) async throws -> ActionDescriptor {
        try await send(ActionDescriptor.self, .GET, Self.apiPath("components", component, "actions", action))
    }

    /// `POST /components/{name}/actions/{action}`: runs one action directly through its
    /// adapter, outside any workflow, with `input` as the action's input.
    ///
    /// An adapter's failure throws `HarmoniaClientError` carrying the adapter's own code,
    /// with status 422 when the adapter refused the input and 502 when the component
    /// failed; a known component that cannot be called now is `component_unavailable`.
    public func invokeComponentAction(
        component: String, action: String, input: JSONValue = .emptyObject
    ) async throws -> ActionRunResult {
        try await send(
            ActionRunResult.self, .POST, Self.apiPath("components", component, "actions", action), body: input)
    }

    /// `POST /components/reload`: rescans the plugin directories (as SIGHUP does) and says
    /// which files were loaded, updated, removed or refused, and the catalog afterwards.
    public func reloadComponents() async throws -> ReloadReport {
        try await send(ReloadReport.self, .POST, Self.apiPath("components", "reload"), body: .emptyObject)
    }
}

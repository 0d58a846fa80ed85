import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaEngine
import HarmoniaPlugins
import Hummingbird
import Logging

/// Components and their plugins: list, actions, one action's input schema, run one action
/// directly through its adapter, and rescan the plugin directories.
struct ComponentRoutes: Sendable {
    let dependencies: RouteDependencies

    /// The deadline of a directly run action whose component configures no timeout.
    static let defaultTimeout: Double = 300

    func addRoutes(to group: RouterGroup<HarmoniaRequestContext>) {
        group.get("components", use: list)
        group.post("components/reload", use: reload)
        group.get("components/{name}/actions", use: actions)
        group.get("components/{name}/actions/{action}", use: action)
        group.post("components/{name}/actions/{action}", use: run)
    }

    /// Without a plugin manager (embedded servers, tests): the registered adapters only.
    private var registered: ComponentList {
        let components = dependencies.engine.adapters.all.map {
            ComponentView(
                name: $0.component, source: $0 is BuiltinAdapter ? "builtin" : "config", available: true,
                actions: $0.actions.map(\.name), adapterLoaded: true,
                version: $0 is BuiltinAdapter ? HarmoniaVersion.current : nil)
        }
        return ComponentList(components: components, refused: [], loaded: [], directories: [])
    }

    @Sendable func list(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let list = dependencies.components?.list() ?? registered
        return success("\(list.components.count) component(s), \(list.refused.count) refused plugin(s)", list)
    }

    /// Rescans the plugin directories; with no plugin manager there is nothing to rescan.
    @Sendable func reload(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let report = await dependencies.components?.reload()
            ?? ReloadReport(
                loaded: [], updated: [], removed: [], refused: [], componentsAdded: [], componentsRemoved: [],
                catalog: registered)
        // A component a new file serves but nothing enables is in no added list: say so.
        let disabled = dependencies.engine.adapters.disabledComponents.keys.sorted()
        return success(
            "reloaded: \(report.loaded.count) loaded, \(report.updated.count) updated, \(report.removed.count) removed, \(report.refused.count) refused"
                + (disabled.isEmpty ? "" : "; loaded but not enabled: \(disabled.joined(separator: ", ")) (see catalog for how to enable)"),
            report)
    }

    @Sendable func actions(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let name = try context.pathParameter("name")
        let actions = try describe(name)
        return success("\(actions.count) action(s)", ComponentActions(component: name, actions: actions))
    }

    @Sendable func action(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let name = try context.pathParameter("name")
        let actionName = try context.pathParameter("action")
        return success("action found", try find(actionName, in: name))
    }

    /// Runs one action with the body as its input; 200 with the output, 422 or 502 with the
    /// adapter's code when it fails, 503 when a shutdown canceled it. The call is canceled
    /// when the client disconnects or the server shuts down (`DirectCall`).
    @Sendable func run(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let name = try context.pathParameter("name")
        let actionName = try context.pathParameter("action")
        _ = try find(actionName, in: name)
        let input = try await request.jsonBody(maxBytes: dependencies.maxBodyBytes) ?? .emptyObject
        guard let adapter = dependencies.engine.adapters.adapter(for: name) else {
            // Loaded but not enabled: it serves nothing in this configuration, like an
            // unknown component (404, not a 503 that tells the client to try again later).
            if let howToEnable = dependencies.engine.adapters.disabledComponents[name.lowercased()] {
                throw HarmoniaError(.notFound, "component '\(name)' is not enabled: \(howToEnable)")
            }
            let reason = dependencies.components?.list().component(name)?.reason
            throw HarmoniaError(
                .componentUnavailable,
                "component '\(name)' is known but not available now" + (reason.map { ": \($0)" } ?? ""))
        }
        let timeout = dependencies.components?.configured[name]?.timeout ?? Self.defaultTimeout
        let started = ContinuousClock.now
        let invocation = Invocation(
            executionID: "direct-\(UUID().uuidString.lowercased())", taskID: actionName, attempt: 1,
            action: actionName, input: input, deadline: Date().addingTimeInterval(timeout))
        context.logger.info("running action directly", metadata: ["component": "\(name)", "action": "\(actionName)"])
        switch await DirectCall.run(adapter, invocation, channel: context.channel) {
        case .finished(.success(let output)):
            let elapsed = ContinuousClock.now - started
            let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            return success(
                "action completed",
                ActionRunResult(component: name, action: actionName, output: output, durationMS: milliseconds))
        case .finished(.failure(let failure)):
            throw ComponentActionFailure(failure: failure, builtin: adapter is BuiltinAdapter)
        case .stopped(let reason, _):
            context.logger.info(
                "direct action call canceled",
                metadata: ["component": "\(name)", "action": "\(actionName)", "reason": "\(reason.rawValue)"])
            // A client that went away reads nothing; one still there at shutdown reads why.
            let why = reason == .shutdown ? "the server is shutting down; call it again" : "the client disconnected"
            throw HarmoniaError(.notReady, "the call of \(name).\(actionName) was canceled: \(why)")
        }
    }

    private func describe(_ name: String) throws -> [ActionDescriptor] {
        if let adapter = dependencies.engine.adapters.adapter(for: name) { return adapter.actions }
        guard let catalog = dependencies.components else {
            throw HarmoniaError(.notFound, "no component named '\(name)'")
        }
        return try catalog.actions(of: name)
    }

    private func find(_ action: String, in component: String) throws -> ActionDescriptor {
        guard let descriptor = try describe(component).first(where: { $0.name == action }) else {
            throw HarmoniaError(.notFound, "component '\(component)' has no action '\(action)'")
        }
        return descriptor
    }
}

extension HarmoniaRequestContext {
    /// A path parameter, percent-decoded.
    func pathParameter(_ name: String) throws -> String {
        guard let raw = parameters.get(name), !raw.isEmpty else {
            throw HarmoniaError(.invalidRequest, "the path is missing \(name)")
        }
        guard let value = raw.removingPercentEncoding else {
            throw HarmoniaError(.invalidRequest, "\(name) in the path is not valid percent-encoding", path: name)
        }
        return value
    }
}

import HarmoniaCore
import HarmoniaEngine

/// What route handlers work with: the store for reads, the engine for everything that
/// changes an execution, and server facts.
struct RouteDependencies: Sendable {
    let store: any Store
    let engine: Engine
    let runtime: ServerRuntime
    let maxBodyBytes: Int
    /// Hermes registration and discovery, when configured (`/health`'s `registered`).
    var hermes: HermesServices? = nil
    /// The plugin catalog behind `/components` (nil: the registered adapters only).
    var components: ComponentCatalog? = nil
    /// Whether API keys are configured (the key middleware then checks every caller).
    var keysRequired = false
    /// The schedule service, woken when a route changes a schedule (nil: none runs).
    var schedules: ScheduleService? = nil
}

extension RouteDependencies {
    /// The create-time check of the components and actions a definition names, against the
    /// components known now.
    var componentCheck: ComponentReferenceCheck {
        ComponentReferenceCheck(adapters: engine.adapters, catalog: components)
    }
}

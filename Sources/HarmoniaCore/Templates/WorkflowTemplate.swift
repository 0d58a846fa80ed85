import Foundation

/// A reusable workflow with typed parameters: a definition holding `${params.NAME}`
/// placeholders, plus the parameters' declarations.
///
/// The definition is kept as raw JSON, not as a `WorkflowDefinition`, because placeholders
/// may stand where a decoded definition only allows numbers or names (a timeout, a task id),
/// and `params` is no root of the run-time expression language. It becomes a workflow only
/// when instantiated with values. Templates are versioned like workflows: an update stores a
/// new version under the same id, and each instance records the version it came from.
public struct WorkflowTemplate: Sendable, Hashable, Codable {
    /// UUID string.
    public var id: String
    public var name: String
    public var description: String
    /// 1 for the first version; each update adds one.
    public var version: Int
    /// A workflow definition object (any dialect `DefinitionParser` reads) with placeholders.
    public var definition: JSONValue
    /// Declarations keyed by parameter name.
    public var parameters: [String: TemplateParameter]
    /// Labels for finding templates (`GET /templates?tag=`), distinct, in the order given.
    public var tags: [String]
    public var metadata: [String: JSONValue]
    /// The saved workflow the template was made from, when it was made from one.
    public var sourceWorkflowID: String?
    public var sourceWorkflowVersion: Int?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String = UUID().uuidString.lowercased(), name: String, description: String = "", version: Int = 1,
        definition: JSONValue, parameters: [String: TemplateParameter] = [:], tags: [String] = [],
        metadata: [String: JSONValue] = [:], sourceWorkflowID: String? = nil, sourceWorkflowVersion: Int? = nil,
        createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.version = version
        self.definition = definition
        self.parameters = parameters
        self.tags = tags
        self.metadata = metadata
        self.sourceWorkflowID = sourceWorkflowID
        self.sourceWorkflowVersion = sourceWorkflowVersion
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, version, definition, parameters, tags, metadata
        case sourceWorkflowID = "source_workflow_id"
        case sourceWorkflowVersion = "source_workflow_version"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// Parameter names in a stable order, for listings and messages.
    public var parameterNames: [String] { parameters.keys.sorted() }
}

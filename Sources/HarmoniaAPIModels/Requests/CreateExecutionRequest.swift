import HarmoniaCore

/// The body of `POST /executions` (and, without `workflow_id`, of
/// `POST /workflows/{id}/execute`).
///
/// Decoding is lenient: snake_case and camelCase keys both work, a missing `input` is an
/// empty object, and a non-object `input` is `invalid_input`. Encoding writes snake_case.
public struct CreateExecutionRequest: Codable, Sendable, Hashable {
    /// Required for `POST /executions`; taken from the path for `/workflows/{id}/execute`.
    public var workflowID: String?
    /// Pins a definition version; nil runs the newest.
    public var workflowVersion: Int?
    /// The workflow input; must be a JSON object.
    public var input: JSONValue
    public var metadata: [String: JSONValue]
    /// A repeated key returns the earlier execution instead of creating another.
    public var idempotencyKey: String?

    public init(
        workflowID: String? = nil, workflowVersion: Int? = nil, input: JSONValue = .emptyObject,
        metadata: [String: JSONValue] = [:], idempotencyKey: String? = nil
    ) {
        self.workflowID = workflowID
        self.workflowVersion = workflowVersion
        self.input = input
        self.metadata = metadata
        self.idempotencyKey = idempotencyKey
    }

    /// Reads a request body; `invalid_request` for mistyped fields, `invalid_input` when
    /// `input` is not an object.
    public init(json: JSONValue) throws {
        let fields = try LenientFields(json)
        let input = fields.value("input") ?? .emptyObject
        guard input.objectValue != nil else {
            throw HarmoniaError(.invalidInput, "'input' must be a JSON object, not \(input.typeName)", path: "input")
        }
        self.init(
            workflowID: try fields.string("workflow_id"),
            workflowVersion: try fields.integer("workflow_version"),
            input: input,
            metadata: try fields.object("metadata") ?? [:],
            idempotencyKey: try fields.string("idempotency_key"))
    }

    public init(from decoder: any Decoder) throws {
        try self.init(json: JSONValue(from: decoder))
    }

    enum CodingKeys: String, CodingKey {
        case workflowID = "workflow_id"
        case workflowVersion = "workflow_version"
        case input, metadata
        case idempotencyKey = "idempotency_key"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(workflowID, forKey: .workflowID)
        try container.encodeIfPresent(workflowVersion, forKey: .workflowVersion)
        try container.encode(input, forKey: .input)
        try container.encode(metadata, forKey: .metadata)
        try container.encodeIfPresent(idempotencyKey, forKey: .idempotencyKey)
    }
}

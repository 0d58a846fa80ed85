/// The data of `POST /templates/{id}/instantiate`: the new workflow, with the template
/// version it was made from (also recorded in the workflow's metadata).
public struct TemplateInstance: Codable, Sendable, Hashable {
    public var workflowID: String
    public var templateID: String
    public var templateVersion: Int
    /// The stored workflow, placeholders replaced.
    public var workflow: WorkflowView

    public init(workflow: WorkflowView, templateID: String, templateVersion: Int) {
        self.workflowID = workflow.workflowID
        self.templateID = templateID
        self.templateVersion = templateVersion
        self.workflow = workflow
    }

    enum CodingKeys: String, CodingKey {
        case workflowID = "workflow_id"
        case templateID = "template_id"
        case templateVersion = "template_version"
        case workflow
    }
}

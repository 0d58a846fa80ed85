import Foundation

extension WorkflowTemplate {
    /// A template from a draft whose definition has been resolved: a new template (version 1)
    /// when `previous` is nil, else the next version of `previous`, keeping its id and
    /// creation time and every field the draft leaves out. Not validated: run
    /// `TemplateValidator.validate` on the result.
    ///
    /// The name defaults to the definition's own name, so a template made from a saved
    /// workflow needs nothing but the workflow id.
    public init(
        draft: TemplateDraft, definition: JSONValue, source: (id: String, version: Int)? = nil,
        previous: WorkflowTemplate? = nil, now: Date = Date()
    ) {
        let name = draft.name ?? previous?.name ?? definition["name"]?.stringValue ?? ""
        self.init(
            id: previous?.id ?? UUID().uuidString.lowercased(),
            name: name.trimmingCharacters(in: .whitespaces),
            description: draft.description ?? previous?.description ?? definition["description"]?.stringValue ?? "",
            version: (previous?.version ?? 0) + 1,
            definition: definition,
            parameters: draft.parameters ?? previous?.parameters ?? [:],
            tags: draft.tags ?? previous?.tags ?? [],
            metadata: draft.metadata ?? previous?.metadata ?? [:],
            sourceWorkflowID: source?.id ?? (draft.definition == nil ? previous?.sourceWorkflowID : nil),
            sourceWorkflowVersion: source?.version ?? (draft.definition == nil ? previous?.sourceWorkflowVersion : nil),
            createdAt: previous?.createdAt ?? now,
            updatedAt: now)
    }
}

extension WorkflowDefinition {
    /// The definition as a template body: its JSON form without the identity of the saved
    /// workflow (id, version, timestamps), which every instance gets anew.
    public var templateBody: JSONValue {
        get throws {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .secondsSince1970
            let data: Data
            do {
                data = try encoder.encode(self)
            } catch {
                throw HarmoniaError(.invalidDefinition, "workflow \(id) cannot be turned into a template: \(error)")
            }
            guard var members = try JSONValue.parse(Array(data)).objectValue else {
                throw HarmoniaError(.invalidDefinition, "workflow \(id) did not encode as an object")
            }
            for key in ["id", "version", "created_at", "updated_at"] { members.removeValue(forKey: key) }
            return .object(members)
        }
    }
}

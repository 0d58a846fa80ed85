/// What a parent's pause, resume or cancel asks of its running children.
public enum ChildControl: Sendable, Hashable {
    case pause, resume
    case cancel(reason: String)
}

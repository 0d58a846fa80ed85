/// The name an instance of a map task goes by outside the scheduler: `<task id>[<index>]`.
///
/// The runtime keys adapter calls, their results, progress reports and timers by a task id
/// and an attempt. Giving each instance such an id of its own (`fan[3]`) lets instances
/// travel every one of those paths unchanged; only the scheduler tells the two apart.
/// Adapters see it as the invocation's task id. Validation refuses a task whose id is the
/// address of another task's instance, so the two can never be confused.
public enum TaskInstanceAddress {
    public static func format(taskID: String, index: Int) -> String {
        "\(taskID)[\(index)]"
    }

    /// The task id and index of an address; nil for anything else (a plain task id).
    public static func parse(_ address: String) -> TaskInstanceKey? {
        guard address.utf8.last == UInt8(ascii: "]"), let open = address.lastIndex(of: "[") else { return nil }
        let digits = address[address.index(after: open)..<address.index(before: address.endIndex)]
        guard !digits.isEmpty, digits.utf8.count <= 9, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let index = Int(digits), open > address.startIndex
        else { return nil }
        return TaskInstanceKey(taskID: String(address[..<open]), index: index)
    }
}

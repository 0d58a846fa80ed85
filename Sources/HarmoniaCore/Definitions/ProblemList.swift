/// Collects every problem found while reading or validating one document, so a client
/// sees all of its mistakes in one answer instead of fixing them one round trip at a time.
///
/// The list is capped: a hostile or broken body (a million bad array elements) must not turn
/// into a million-entry error response. Past the cap only a count is kept.
struct ProblemList: Sendable {
    /// Most problems reported individually; the rest are summarised in one closing entry.
    static let defaultLimit = 100

    private(set) var problems: [HarmoniaError.Problem] = []
    private(set) var firstCode: HarmoniaError.Code?
    private(set) var dropped = 0
    let limit: Int

    init(limit: Int = ProblemList.defaultLimit) {
        self.limit = limit
    }

    var isEmpty: Bool { problems.isEmpty }
    var count: Int { problems.count + dropped }

    /// Records a problem; `path` is the JSON path of the offending value.
    mutating func add(_ code: HarmoniaError.Code, _ message: String, path: String?) {
        if firstCode == nil { firstCode = code }
        guard problems.count < limit else {
            dropped += 1
            return
        }
        problems.append(HarmoniaError.Problem(code: code.rawValue, message: message, path: path))
    }

    /// Records the problems of a thrown `HarmoniaError` (all of them when it carries a list).
    mutating func add(_ error: HarmoniaError) {
        if error.problems.isEmpty {
            add(error.code, error.message, path: error.path)
        } else {
            for problem in error.problems {
                add(HarmoniaError.Code(rawValue: problem.code), problem.message, path: problem.path)
            }
        }
    }

    /// The error describing every problem: code, message and path of the first, plus the list
    /// (callers that show one line show the first problem; the list has the rest).
    var error: HarmoniaError? {
        guard let first = problems.first, let firstCode else { return nil }
        var all = problems
        if dropped > 0 {
            all.append(.init(code: firstCode.rawValue, message: "\(dropped) more problems not shown", path: nil))
        }
        return HarmoniaError(firstCode, first.message, path: first.path, problems: all)
    }

    /// An error holding one problem, listed in `problems` too, so every validation error has
    /// the same shape whether one thing or many were wrong.
    static func single(_ code: HarmoniaError.Code, _ message: String, path: String?) -> HarmoniaError {
        var list = ProblemList()
        list.add(code, message, path: path)
        return list.error!
    }

    /// Throws `error` when anything was recorded.
    func throwIfAny() throws {
        if let error { throw error }
    }
}

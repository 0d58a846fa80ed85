import HarmoniaCore

/// The body of every error response: `{"detail", "code"}`, plus where and what else for
/// validation errors.
///
/// `code` is the stable `HarmoniaError.Code` string, so clients branch on it rather than on
/// the human-readable `detail`.
public struct APIErrorBody: Codable, Sendable, Hashable, Error {
    /// What went wrong, for people.
    public var detail: String
    /// Stable snake_case code such as `not_found` or `dependency_cycle`.
    public var code: String
    /// The JSON path of the offending value, for request and definition errors.
    public var path: String?
    /// Every problem found, when validation reports several at once.
    public var problems: [HarmoniaError.Problem]?

    public init(detail: String, code: String, path: String? = nil, problems: [HarmoniaError.Problem]? = nil) {
        self.detail = detail
        self.code = code
        self.path = path
        self.problems = problems
    }

    /// The wire form of `error`; an empty problem list is left out.
    public init(_ error: HarmoniaError) {
        self.init(
            detail: error.message, code: error.code.rawValue, path: error.path,
            problems: error.problems.isEmpty ? nil : error.problems)
    }

    /// Back to a `HarmoniaError`, so clients rethrow what the server threw.
    public var harmoniaError: HarmoniaError {
        HarmoniaError(.init(rawValue: code), detail, path: path, problems: problems ?? [])
    }
}

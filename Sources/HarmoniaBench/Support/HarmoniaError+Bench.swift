import HarmoniaCore

extension HarmoniaError.Code {
    /// A benchmark could not run or its result is not trustworthy (an execution failed,
    /// work was lost or done twice, a deadline passed); the message says which.
    public static let benchFailed: Self = "bench_failed"
    /// The embedded server child process did not start, or died unexpectedly.
    public static let benchServerFailed: Self = "bench_server_failed"
    /// A bench option is out of range or contradicts another.
    public static let benchInvalidOption: Self = "bench_invalid_option"
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The checks a file must pass before `dlopen`: plugins run in-process with the server's
/// privileges, so only files that nobody else could have planted or changed are opened.
///
/// A file must be a regular file (after resolving symlinks), not writable by group or
/// others, and owned by the server's user or root; its directory must not be writable by
/// others and must be owned by the server's user or root.
enum TrustCheck {
    /// Nil when the open file `descriptor` (found at `real`, a resolved path) may be
    /// loaded, else the reason it may not. The file is judged by its descriptor, so the
    /// file checked is the file loaded (`TrustedFile`).
    static func problem(descriptor: Int32, path real: String) -> String? {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return "cannot stat \(real): \(String(cString: strerror(errno)))" }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return "\(real) is not a regular file" }
        if info.st_mode & (S_IWGRP | S_IWOTH) != 0 {
            return "\(real) is writable by \(info.st_mode & S_IWOTH != 0 ? "others" : "its group") (mode \(String(info.st_mode & 0o7777, radix: 8))); run chmod go-w"
        }
        if let owner = ownerProblem(info, what: real) { return owner }
        let directory = parentDirectory(of: real)
        return directoryProblem(directory)
    }

    /// Nil when `directory` may hold plugins, else the reason it may not.
    static func directoryProblem(_ directory: String) -> String? {
        var info = stat()
        guard stat(directory, &info) == 0 else {
            return "cannot stat directory \(directory): \(String(cString: strerror(errno)))"
        }
        if info.st_mode & S_IWOTH != 0 {
            return "directory \(directory) is writable by others (mode \(String(info.st_mode & 0o7777, radix: 8)))"
        }
        return ownerProblem(info, what: "directory \(directory)")
    }

    private static func ownerProblem(_ info: stat, what: String) -> String? {
        guard info.st_uid == geteuid() || info.st_uid == 0 else {
            return "\(what) is owned by uid \(info.st_uid), not by the server's user (\(geteuid())) or root"
        }
        return nil
    }

    private static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plugin file opened once and checked through its descriptor, for `dlopen` to load by
/// descriptor (`/proc/self/fd/N`) rather than by path.
///
/// Checking a path and then `dlopen`ing the same path leaves a window in which the file at
/// that path can be swapped for another (a rename into the plugin directory): the checked
/// file and the loaded file would differ. Here the checks (`TrustCheck`) read `fstat` of the
/// open descriptor, and the dynamic linker opens that same descriptor, so the loaded bytes
/// are the checked file's.
///
/// The descriptor is never closed: the dynamic linker remembers a library by the name it
/// was opened with, so if `/proc/self/fd/N` were closed and the number reused for another
/// file, a later `dlopen` of that name would be handed the earlier library. A loaded
/// library stays mapped for the life of the process anyway (`RTLD_NODELETE`), so one
/// descriptor per loaded file version costs nothing that is not already spent.
struct TrustedFile {
    /// The descriptor `dlopen` loads; open for the life of the process once loaded.
    let descriptor: Int32

    /// What to pass to `dlopen`.
    var loadPath: String { "/proc/self/fd/\(descriptor)" }

    /// Opens `path` and checks the open file; the reason it may not be loaded otherwise.
    static func open(_ path: String) -> Result<TrustedFile, TrustProblem> {
        guard let resolved = realpath(path, nil) else {
            return .failure(TrustProblem("cannot resolve \(path): \(String(cString: strerror(errno)))"))
        }
        let real = String(cString: resolved)
        free(resolved)
        let descriptor = Glibc.open(real, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(TrustProblem("cannot open \(real): \(String(cString: strerror(errno)))")) }
        if let problem = TrustCheck.problem(descriptor: descriptor, path: real) {
            close(descriptor)
            return .failure(TrustProblem(problem))
        }
        return .success(TrustedFile(descriptor: descriptor))
    }

    /// A private copy of this file's bytes, already unlinked, to load when the dynamic linker
    /// would otherwise hand back an earlier version still mapped under the same identity.
    ///
    /// Copied from the checked descriptor (not from the path), into a file only this user can
    /// read, removed from the file system at once: nothing is left in the temporary folder,
    /// even after a `kill -9`.
    func snapshot() -> Result<TrustedFile, TrustProblem> {
        var template = Array((FileManager.default.temporaryDirectory.path + "/harmonia-plugin-snapshot-XXXXXX").utf8CString)
        let copy = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard copy >= 0 else { return .failure(TrustProblem("cannot create a snapshot file: \(String(cString: strerror(errno)))")) }
        let name = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        unlink(name)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        while true {
            let read = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if read == 0 { break }
            guard read > 0 else {
                let problem = TrustProblem("cannot read the plugin file for its snapshot: \(String(cString: strerror(errno)))")
                close(copy)
                return .failure(problem)
            }
            var written = 0
            while written < read {
                let n = buffer.withUnsafeBytes { write(copy, $0.baseAddress! + written, read - written) }
                guard n > 0 else {
                    let problem = TrustProblem("cannot write the snapshot: \(String(cString: strerror(errno)))")
                    close(copy)
                    return .failure(problem)
                }
                written += n
            }
            offset += off_t(read)
        }
        return .success(TrustedFile(descriptor: copy))
    }

    /// Closes a descriptor that `dlopen` did not load (it refused the file).
    func discard() { close(descriptor) }
}

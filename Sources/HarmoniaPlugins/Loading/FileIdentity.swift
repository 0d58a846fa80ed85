#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What tells two versions of a plugin file apart, for `reload`: device, inode, size and
/// modification time. A file replaced by `install` or copy-and-rename gets a new inode; one
/// rewritten in place changes size or mtime; a chmod or chown changes mode or owner (and
/// may change the trust verdict).
struct FileIdentity: Hashable, Sendable {
    var mode: UInt32
    var owner: UInt32
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        mode = UInt32(info.st_mode)
        owner = UInt32(info.st_uid)
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        #if canImport(Darwin)
        modifiedSeconds = info.st_mtimespec.tv_sec
        modifiedNanoseconds = info.st_mtimespec.tv_nsec
        #else
        modifiedSeconds = info.st_mtim.tv_sec
        modifiedNanoseconds = info.st_mtim.tv_nsec
        #endif
    }
}

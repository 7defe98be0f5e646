import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A thin owner of a POSIX file descriptor, for the few places that need fsync and exact errors.
final class PosixFile: @unchecked Sendable {  // immutable after init; the fd is closed once, in deinit
    let fd: Int32
    let path: String

    /// Opens `path` with `flags` (and `mode` when creating).
    init(path: String, flags: Int32, mode: mode_t = 0o600) throws {
        let fd = open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else { throw DocumentStoreError.io("open", errno) }
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// Writes all of `bytes`, retrying short writes.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw DocumentStoreError.io("write", errno)
            }
            offset += n
        }
    }

    /// Reads up to `count` bytes; fewer only at the end of the file.
    func read(upTo count: Int) throws -> [UInt8] {
        // Not zeroed first: every byte handed back is one the kernel wrote.
        try [UInt8](unsafeUninitializedCapacity: count) { raw, initialized in
            initialized = 0
            while initialized < count {
                let n = Glibc.read(fd, raw.baseAddress! + initialized, count - initialized)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw DocumentStoreError.io("read", errno)
                }
                if n == 0 { break }
                initialized += n
            }
        }
    }

    /// Flushes the file's data and metadata to stable storage.
    func sync() throws {
        guard fsync(fd) == 0 else { throw DocumentStoreError.io("fsync", errno) }
    }

    /// How many names the file has; 0 once it was unlinked.
    func linkCount() throws -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DocumentStoreError.io("fstat", errno) }
        return Int(info.st_nlink)
    }

    /// Flushes a directory, making a new name or a rename in it durable.
    static func syncDirectory(_ path: String) throws {
        let dir = try PosixFile(path: path, flags: O_RDONLY | O_DIRECTORY)
        try dir.sync()
    }
}

/// Why the document store could not do what it was asked.
public enum DocumentStoreError: Error, CustomStringConvertible, Equatable {
    /// A system call failed.
    case io(String, Int32)
    /// The file is not a Lethe document, or it was truncated, reordered or altered.
    case corrupt(String)

    public var description: String {
        switch self {
        case .io(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        case .corrupt(let why): "document cannot be decrypted: \(why)"
        }
    }
}

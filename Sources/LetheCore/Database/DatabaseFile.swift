import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The database file's permissions: owner only.
enum DatabaseFile {
    /// Creates the file with mode 0600 when it does not exist; refuses one that others can read
    /// (the database or its `-wal` or `-shm`) unless `allowShared`.
    static func prepare(path: String, allowShared: Bool) throws {
        if !FileManager.default.fileExists(atPath: path) {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 {
                close(fd)
            } else if errno != EEXIST {
                throw DatabaseFileError.cannotCreate(path: path, reason: String(cString: strerror(errno)))
            }
        }
        guard !allowShared else { return }
        for file in [path, path + "-wal", path + "-shm"] {
            var info = stat()
            guard stat(file, &info) == 0 else { continue }
            let mode = info.st_mode & 0o777
            if mode & 0o077 != 0 {
                throw DatabaseFileError.sharedWithOthers(path: file, mode: mode)
            }
        }
    }
}

/// Why the database file was not opened.
public enum DatabaseFileError: Error, Equatable, CustomStringConvertible {
    /// Users other than the owner may read or write it.
    case sharedWithOthers(path: String, mode: mode_t)
    /// It could not be created.
    case cannotCreate(path: String, reason: String)

    public var description: String {
        switch self {
        case .sharedWithOthers(let path, let mode):
            "\(path) can be read by other users (mode \(String(mode, radix: 8))); it holds personal data and keys: run chmod 600 on it and its -wal and -shm files, or start with --allow-shared-database"
        case .cannotCreate(let path, let reason):
            "cannot create \(path): \(reason)"
        }
    }
}

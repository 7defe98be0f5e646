import Crypto
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The one place that writes, reads and removes stored documents: a directory of encrypted files,
/// fanned out over 256 subdirectories by the first two hex digits of their random names, so that
/// concurrent uploads do not all create files under one directory's lock.
public struct DocumentStore: Sendable {
    /// The directory holding the encrypted files.
    public let directory: String

    /// Uses `directory`, creating it and its 256 subdirectories (mode 0700) if needed; files of
    /// the earlier flat layout are moved into their subdirectory, durably.
    public init(directory: String) throws {
        self.directory = directory
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
            )
        } else if !isDirectory.boolValue {
            throw DocumentStoreError.io("open \(directory) (not a directory)", ENOTDIR)
        }
        guard access(directory, W_OK | R_OK | X_OK) == 0 else {
            throw DocumentStoreError.io("access \(directory)", errno)
        }
        var created = false
        for bucket in Self.buckets where mkdir(directory + "/" + bucket, 0o700) == 0 {
            created = true
        }
        if created { try PosixFile.syncDirectory(directory) }
        try moveFlatFiles()
    }

    /// The 256 subdirectories, `00` to `ff`.
    static let buckets = (0..<256).map { String(format: "%02x", $0) }

    /// Moves files of the flat layout (before the subdirectories) to where `path(of:)` looks.
    private func moveFlatFiles() throws {
        let flat = try FileManager.default.contentsOfDirectory(atPath: directory).filter(isStorageName)
        guard !flat.isEmpty else { return }
        var touched = Set<String>()
        for name in flat {
            guard rename(directory + "/" + name, path(of: name)) == 0 else { throw DocumentStoreError.io("rename", errno) }
            touched.insert(String(name.prefix(2)))
        }
        for bucket in touched { try PosixFile.syncDirectory(directory + "/" + bucket) }
        try PosixFile.syncDirectory(directory)
    }

    /// Starts a new document under a fresh random key, written under its final random name at
    /// once: until a committed row names it, it is an orphan that the sweep removes after its
    /// grace (a crash mid-upload leaves nothing else).
    public func makeWriter() throws -> EncryptedDocumentWriter {
        try EncryptedDocumentWriter(store: self)
    }

    /// Opens a stored document for streaming decryption.
    public func openReader(storageName: String, key: SymmetricKey) throws -> EncryptedDocumentReader {
        try EncryptedDocumentReader(file: PosixFile(path: path(of: storageName), flags: O_RDONLY), key: key)
    }

    /// Reads and decrypts a whole document; for small documents and tests.
    public func readAll(storageName: String, key: SymmetricKey) throws -> Data {
        let reader = try openReader(storageName: storageName, key: key)
        var out = Data()
        while let chunk = try reader.next() { out.append(chunk) }
        return out
    }

    /// Removes a stored file; a file that is already gone is not an error.
    public func remove(storageName: String) throws {
        guard isStorageName(storageName) || storageName.hasPrefix(Self.tempPrefix) else { return }
        if unlink(path(of: storageName)) != 0 && errno != ENOENT {
            throw DocumentStoreError.io("unlink", errno)
        }
    }

    /// Every document file, by storage name: stored, kept, being written, or orphaned.
    public func storedNames() throws -> [String] {
        try Self.buckets.flatMap { try FileManager.default.contentsOfDirectory(atPath: directory + "/" + $0).filter(isStorageName) }
    }

    /// Every temporary file left by an earlier version, which wrote uploads under a temporary
    /// name and renamed them.
    public func temporaryNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(Self.tempPrefix) }
    }

    /// Where a file is: a storage name in its subdirectory, a temporary name of an earlier
    /// version at the top.
    func path(of name: String) -> String {
        isStorageName(name) ? "\(directory)/\(name.prefix(2))/\(name)" : directory + "/" + name
    }

    static let tempPrefix = ".upload-"
    static let suffix = ".lethe"

    /// A random, unguessable name that says nothing about the document.
    static func randomName() -> String {
        SymmetricKey(size: .bits128).withUnsafeBytes { $0.hexString }
    }

    private func isStorageName(_ name: String) -> Bool {
        name.hasSuffix(Self.suffix) && name.count == 32 + Self.suffix.count
            && name.dropLast(Self.suffix.count).allSatisfy(\.isHexDigit)
    }
}

/// Encrypts a document as it streams in; one per upload, used by one task.
public final class EncryptedDocumentWriter {
    /// The document's own key, to be stored with its row.
    public let key: SymmetricKey
    /// Plaintext bytes written so far.
    public private(set) var plaintextSize: Int64 = 0

    private let store: DocumentStore
    /// The file's random name, final from the start.
    private let name: String
    private var file: PosixFile?
    private var pending: [UInt8] = []
    private var counter: UInt64 = 0

    init(store: DocumentStore) throws {
        self.store = store
        self.key = SymmetricKey(size: .bits256)
        self.name = DocumentStore.randomName() + DocumentStore.suffix
        let file = try PosixFile(path: store.path(of: name), flags: O_WRONLY | O_CREAT | O_EXCL)
        self.file = file
        pending.reserveCapacity(DocumentCipher.chunkSize * 2)
        try DocumentCipher.header.withUnsafeBytes { try file.write($0) }
    }

    deinit {
        if file != nil { unlink(store.path(of: name)) }
    }

    /// Appends plaintext; full chunks are sealed and written at once.
    public func write(_ bytes: some Sequence<UInt8>) throws {
        pending.append(contentsOf: bytes)
        // Hold back a full chunk until more arrives: only `finish` knows which chunk is last.
        var start = 0
        while pending.count - start > DocumentCipher.chunkSize {
            try sealAndWrite(pending[start..<(start + DocumentCipher.chunkSize)], isLast: false)
            start += DocumentCipher.chunkSize
        }
        if start > 0 { pending.removeFirst(start) }
    }

    /// Seals the last chunk, makes the file and its name durable, and returns the name.
    public func finish() async throws -> String {
        guard let file else { throw DocumentStoreError.io("finish (writer closed)", EBADF) }
        try sealAndWrite(pending[...], isLast: true)
        pending = []
        let directory = store.directory + "/" + name.prefix(2)
        try await Blocking.run {
            try file.sync()
            try PosixFile.syncDirectory(directory)
            // An upload stalled beyond the orphan sweep's grace may have been swept meanwhile;
            // its last write has just restarted the grace, so a file still linked now stays.
            guard try file.linkCount() > 0 else { throw DocumentStoreError.io("finish (file swept while the upload stalled)", ENOENT) }
        }
        self.file = nil
        return name
    }

    /// Abandons the upload and removes its temporary file.
    public func discard() {
        guard file != nil else { return }
        file = nil
        unlink(store.path(of: name))
    }

    private func sealAndWrite(_ chunk: ArraySlice<UInt8>, isLast: Bool) throws {
        guard let file else { throw DocumentStoreError.io("write (writer closed)", EBADF) }
        let sealed = try DocumentCipher.seal(chunk, key: key, counter: counter, isLast: isLast)
        try sealed.withUnsafeBytes { try file.write($0) }
        plaintextSize += Int64(chunk.count)
        counter += 1
    }
}

/// Decrypts a stored document chunk by chunk, failing on any sign of tampering.
public final class EncryptedDocumentReader: @unchecked Sendable {  // read by one task at a time
    private let file: PosixFile
    private let key: SymmetricKey
    private var counter: UInt64 = 0
    private var lookahead: [UInt8]
    private var finished = false

    init(file: PosixFile, key: SymmetricKey) throws {
        self.file = file
        self.key = key
        let header = try file.read(upTo: DocumentCipher.headerSize)
        guard header == DocumentCipher.header else { throw DocumentStoreError.corrupt("not a Lethe document") }
        lookahead = try file.read(upTo: DocumentCipher.chunkSize + DocumentCipher.tagSize)
        guard !lookahead.isEmpty else { throw DocumentStoreError.corrupt("no chunks") }
    }

    /// The next plaintext chunk, or nil after the authenticated last chunk.
    public func next() throws -> Data? {
        guard !finished else { return nil }
        let block = lookahead
        let fullBlock = DocumentCipher.chunkSize + DocumentCipher.tagSize
        lookahead = block.count == fullBlock ? try file.read(upTo: fullBlock) : []
        let isLast = lookahead.isEmpty
        let plaintext = try DocumentCipher.open(block, key: key, counter: counter, isLast: isLast)
        counter += 1
        finished = isLast
        return plaintext
    }
}

/// Runs blocking system calls (fsync, rename) off Swift's cooperative threads.
enum Blocking {
    private static let queue = DispatchQueue(label: "lethe.blocking-io", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Runs `body(0)` … `body(count - 1)` on threads of their own and waits for all of them;
    /// the first error is rethrown. For system calls that wait on the file system (unlinking
    /// thousands of files), where threads beyond the cores still help: the journal and the
    /// directories take them in parallel (bench/README.md: 8 threads unlink 2.2x as fast as 1).
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) throws {
        let group = DispatchGroup()
        let failure = Mutex<(any Error)?>(nil)
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                do { try body(index) } catch { failure.withLock { $0 = $0 ?? error } }
            }
            thread.start()
        }
        group.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }
}

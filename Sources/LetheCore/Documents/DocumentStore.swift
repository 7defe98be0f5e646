import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one place that writes, reads and removes stored documents: a directory of encrypted files.
public struct DocumentStore: Sendable {
    /// The directory holding the encrypted files.
    public let directory: String

    /// Uses `directory`, creating it (mode 0700) if needed.
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
    }

    /// Starts a new document under a fresh random key, in a temporary file.
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

    /// Every finished document file, by storage name.
    public func storedNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter(isStorageName)
    }

    /// Every temporary file (an upload in progress, or left by a crash).
    public func temporaryNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(Self.tempPrefix) }
    }

    func path(of name: String) -> String { directory + "/" + name }

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
    private let tempName: String
    private var file: PosixFile?
    private var pending: [UInt8] = []
    private var counter: UInt64 = 0

    init(store: DocumentStore) throws {
        self.store = store
        self.key = SymmetricKey(size: .bits256)
        self.tempName = DocumentStore.tempPrefix + DocumentStore.randomName()
        let file = try PosixFile(path: store.path(of: tempName), flags: O_WRONLY | O_CREAT | O_EXCL)
        self.file = file
        pending.reserveCapacity(DocumentCipher.chunkSize * 2)
        try DocumentCipher.header.withUnsafeBytes { try file.write($0) }
    }

    deinit {
        if file != nil { unlink(store.path(of: tempName)) }
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

    /// Seals the last chunk, makes the file durable under a random name, and returns that name.
    public func finish() async throws -> String {
        guard let file else { throw DocumentStoreError.io("finish (writer closed)", EBADF) }
        try sealAndWrite(pending[...], isLast: true)
        pending = []
        let finalName = DocumentStore.randomName() + DocumentStore.suffix
        let store = self.store, tempName = self.tempName
        try await Blocking.run {
            try file.sync()
            guard rename(store.path(of: tempName), store.path(of: finalName)) == 0 else {
                throw DocumentStoreError.io("rename", errno)
            }
            try PosixFile.syncDirectory(store.directory)
        }
        self.file = nil
        return finalName
    }

    /// Abandons the upload and removes its temporary file.
    public func discard() {
        guard file != nil else { return }
        file = nil
        unlink(store.path(of: tempName))
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
}

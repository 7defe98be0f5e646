import Foundation
import Testing
@testable import LetheCore
import LetheTestSupport
import Crypto

@Suite struct DocumentStoreTests {
    let workspace: TestWorkspace
    init() throws { workspace = try TestWorkspace() }

    private func store(_ bytes: [UInt8], writeSize: Int = 7_919) async throws -> (name: String, key: SymmetricKey) {
        let writer = try workspace.store.makeWriter()
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + writeSize, bytes.count)
            try writer.write(bytes[offset..<end])
            offset = end
        }
        return (try await writer.finish(), writer.key)
    }

    private var storedFile: URL {
        get throws {
            let names = try workspace.store.storedNames()
            try #require(names.count == 1)
            return workspace.uploadedFile(names[0])
        }
    }

    @Test(arguments: [0, 1, DocumentCipher.chunkSize - 1, DocumentCipher.chunkSize, DocumentCipher.chunkSize + 1, 10 * 1024 * 1024])
    func roundTripReturnsExactlyTheUploadedBytes(size: Int) async throws {
        let bytes = patternedBytes(count: size)
        let (name, key) = try await store(bytes)
        let back = try workspace.store.readAll(storageName: name, key: key)
        #expect(back.count == size)
        #expect(Array(back) == bytes)
        #expect(try workspace.store.temporaryNames().isEmpty)
    }

    @Test func storedBytesNeverContainThePlaintext() async throws {
        let marker = Array("UNIQUE-MARKER-7f3a9c the applicant's CV text".utf8)
        let bytes = (0..<2000).flatMap { _ in marker }
        _ = try await store(bytes)
        let onDisk = try Data(contentsOf: try storedFile)
        #expect(onDisk.range(of: Data(marker.prefix(20))) == nil)
    }

    @Test func truncatedFileFailsToDecrypt() async throws {
        let (name, key) = try await store(patternedBytes(count: DocumentCipher.chunkSize * 3 + 100))
        let url = try storedFile
        var data = try Data(contentsOf: url)
        // Drop the whole last chunk: every remaining chunk is intact, but the end is missing.
        data.removeLast(100 + DocumentCipher.tagSize)
        try data.write(to: url)
        #expect(throws: DocumentStoreError.self) { try workspace.store.readAll(storageName: name, key: key) }
    }

    @Test func reorderedChunksFailToDecrypt() async throws {
        let (name, key) = try await store(patternedBytes(count: DocumentCipher.chunkSize * 3 + 100))
        let url = try storedFile
        let data = try Data(contentsOf: url)
        let block = DocumentCipher.chunkSize + DocumentCipher.tagSize
        let header = DocumentCipher.headerSize
        var swapped = data.prefix(header)
        swapped.append(data[(header + block)..<(header + 2 * block)])
        swapped.append(data[header..<(header + block)])
        swapped.append(data[(header + 2 * block)...])
        try swapped.write(to: url)
        #expect(throws: DocumentStoreError.self) { try workspace.store.readAll(storageName: name, key: key) }
    }

    @Test func alteredByteFailsToDecrypt() async throws {
        let (name, key) = try await store(patternedBytes(count: 5000))
        let url = try storedFile
        var data = try Data(contentsOf: url)
        data[DocumentCipher.headerSize + 10] ^= 0x01
        try data.write(to: url)
        #expect(throws: DocumentStoreError.self) { try workspace.store.readAll(storageName: name, key: key) }
    }

    @Test func anotherDocumentsKeyCannotOpenIt() async throws {
        let (name, _) = try await store(patternedBytes(count: 100))
        #expect(throws: DocumentStoreError.self) {
            try workspace.store.readAll(storageName: name, key: SymmetricKey(size: .bits256))
        }
    }

    @Test func filesOfTheFlatLayoutAreMovedIntoTheirSubdirectoryAndStillOpen() async throws {
        let bytes = patternedBytes(count: 100_000)
        let (name, key) = try await store(bytes)
        // As an earlier version stored it: at the top of uploads/.
        try FileManager.default.moveItem(at: workspace.uploadedFile(name), to: URL(fileURLWithPath: workspace.uploadsPath + "/" + name))
        #expect(throws: DocumentStoreError.self) { try workspace.store.readAll(storageName: name, key: key) }
        let reopened = try DocumentStore(directory: workspace.uploadsPath)
        #expect(Array(try reopened.readAll(storageName: name, key: key)) == bytes)
        #expect(FileManager.default.fileExists(atPath: workspace.uploadedFile(name).path))
        #expect(try reopened.storedNames() == [name])
    }

    @Test func anUploadSweptWhileItStalledIsNeverReportedStored() async throws {
        let writer = try workspace.store.makeWriter()
        try writer.write(patternedBytes(count: 200_000))
        let names = try workspace.store.storedNames()
        try #require(names.count == 1)
        // The orphan sweep removes a file no row names once its grace has passed.
        try workspace.store.remove(storageName: names[0])
        await #expect(throws: DocumentStoreError.self) { _ = try await writer.finish() }
    }

    @Test func discardedUploadLeavesNoFile() async throws {
        let writer = try workspace.store.makeWriter()
        try writer.write(patternedBytes(count: 200_000))
        #expect(try workspace.uploadedFiles().count == 1)
        writer.discard()
        #expect(try workspace.uploadedFiles().isEmpty)
    }
}

import Foundation
import GRDB
import LetheCore

/// A fresh directory with a real SQLite database and document store, removed at deinit.
public final class TestWorkspace: @unchecked Sendable {
    public let root: URL
    public let database: AppDatabase
    public let store: DocumentStore

    public init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("lethe-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        database = try AppDatabase(path: root.appendingPathComponent("lethe.sqlite").path)
        store = try DocumentStore(directory: root.appendingPathComponent("uploads").path)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Runs `body` in a transaction of a second, plain connection to the same database file,
    /// as another process would: for inserting volume, tampering with rows on purpose, or
    /// holding the database's write lock while a request runs.
    @discardableResult
    public func direct<T>(_ body: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        let queue = try DatabaseQueue(path: databasePath, configuration: configuration)
        return try queue.write(body)
    }

    public var databasePath: String { root.appendingPathComponent("lethe.sqlite").path }
    public var uploadsPath: String { root.appendingPathComponent("uploads").path }

    /// The name of every file in uploads/ and its subdirectories.
    public func uploadedFiles() throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: uploadsPath).filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: uploadsPath + "/" + path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.map { ($0 as NSString).lastPathComponent }.sorted()
    }

    /// Where the document store keeps the file of a storage name.
    public func uploadedFile(_ storageName: String) -> URL {
        URL(fileURLWithPath: uploadsPath).appendingPathComponent(String(storageName.prefix(2))).appendingPathComponent(storageName)
    }

    /// A snapshot of what a request could have changed: row counts and the files in uploads/,
    /// with the CVs kept for a browser after a refused form apart.
    public func snapshot() throws -> Snapshot {
        let (rows, kept) = try database.read { db in
            let rows = try ["application", "document", "reference", "notice_acknowledgement", "audit_event", "consent"].map { table in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1
            }
            return (rows, try String.fetchAll(db, sql: "SELECT storage_name FROM kept_upload ORDER BY storage_name"))
        }
        return Snapshot(rows: rows, files: try uploadedFiles().filter { !kept.contains($0) }, kept: kept)
    }

    /// Row counts of the tables an application touches, the stored files, and the files kept
    /// for a browser (which are also in uploads/).
    public struct Snapshot: Equatable, Sendable {
        public let rows: [Int]
        public let files: [String]
        public let kept: [String]

        /// Whether the two hold the same applications and files, whatever was kept for a browser.
        public func holdsTheSameApplications(as other: Snapshot) -> Bool {
            rows == other.rows && files == other.files
        }
    }
}

/// The committed test documents (Tests/Fixtures), made by scripts/make-fixtures.py.
public enum Fixtures {
    public static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    public static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }

    /// A real ELF executable of this machine.
    public static func executable() throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: "/bin/true"))
    }
}

/// Deterministic pseudo-random bytes, so a failing size is reproducible.
public func patternedBytes(count: Int, seed: UInt64 = 0x5eed) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}

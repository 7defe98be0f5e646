import Crypto
import Foundation
import GRDB

/// The application database: every read and write of Lethe's data goes through it.
///
/// Writes are methods that keep the domain's invariants inside one transaction.
public struct AppDatabase: Sendable {
    /// The connection pool; tests and production both use real SQLite files.
    let writer: any DatabaseWriter
    /// Audit events written on their own, committed in groups.
    /// Group commit for the writes that come many at a time: applications and audit events.
    let groupCommit: GroupCommit
    /// Whether the last checkpoint was stopped part way by a reader (``checkpoint()``).
    let checkpointOwed = Flag()

    /// Opens (creating if needed, mode 0600) the SQLite database at `path` and migrates it.
    ///
    /// The files hold personal data, every document's key and the server's secrets: a new
    /// database is readable by its owner only (SQLite gives `-wal` and `-shm` the main file's
    /// mode), and an existing one readable by others is refused unless `allowShared` is set.
    /// Every commit reaches the disk before it returns (`synchronous = FULL` on the writer).
    public init(path: String, allowShared: Bool = false) throws {
        try DatabaseFile.prepare(path: path, allowShared: allowShared)
        let pool = try DatabasePool(path: path, configuration: Self.makeConfiguration())
        // GRDB's pool sets `synchronous = NORMAL` on its writer after the prepare hook, when it
        // turns WAL on; in WAL mode NORMAL syncs only at checkpoints, so an acknowledged
        // application could be lost in a power cut. Set FULL afterwards, and check it took.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            let level = try Int.fetchOne(db, sql: "PRAGMA synchronous")
            guard level == Self.synchronousFull else {
                throw DatabaseError(message: "PRAGMA synchronous is \(level.map(String.init) ?? "unknown") on the writer, not FULL (2)")
            }
        }
        try self.init(pool)
    }

    /// The page cache of each read-only connection, in KiB; the writer keeps SQLite's default.
    static let readerCacheKiB = 512

    /// `PRAGMA synchronous` answers 2 for FULL.
    static let synchronousFull = 2

    /// The `PRAGMA synchronous` level of the connection that writes; 2 (FULL) in production.
    public func writerSynchronousLevel() throws -> Int {
        try writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// Wraps an open writer and migrates it.
    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        groupCommit = GroupCommit(writer: writer)
        try Self.migrator.migrate(writer)
    }

    /// The configuration every connection gets: durability and erasure come first.
    public static func makeConfiguration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // Erased rows are overwritten. (Durability is set on the writer in `init(path:)`.)
            try db.execute(sql: "PRAGMA secure_delete = ON")
            // Each reader keeps a small page cache (SQLite's default is 2 MB per connection): the
            // pool's readers filled theirs as the database grew, and the server's RSS rose 22% in
            // a 10-minute soak; with 512 KiB it rose 4%, and a list page reads the pages it
            // misses from the kernel's cache at no cost measurable here (bench/README.md).
            if db.configuration.readonly { try db.execute(sql: "PRAGMA cache_size = -\(Self.readerCacheKiB)") }
            // Not `mmap_size`: reading through a map saved a list page a tenth of its time, but
            // every page a connection touches then counts in the server's RSS, which grew with
            // the database from 62 MB to 300-490 MB in a 30-minute soak (bench/README.md).
        }
        return config
    }

    /// Answers whether the database responds to a trivial query.
    public func isHealthy() async -> Bool {
        (try? await writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    /// A named random secret kept in the database (created on first use), e.g. for CSRF tokens.
    public func serverSecret(named name: String) throws -> SymmetricKey {
        try writer.write { db in
            if let data = try Data.fetchOne(db, sql: "SELECT value FROM server_secret WHERE name = ?", arguments: [name]) {
                return SymmetricKey(data: data)
            }
            let key = SymmetricKey(size: .bits256)
            let data = key.withUnsafeBytes { Data($0) }
            try db.execute(sql: "INSERT INTO server_secret (name, value) VALUES (?, ?)", arguments: [name, data])
            return key
        }
    }

    /// Runs a read-only closure; for tests and tools that inspect the stored state.
    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try writer.read(body)
    }

    /// The path of the main database file, when it is a file.
    public var path: String { writer.path }
}

import Crypto
import Foundation
import GRDB

/// The application database: every read and write of Lethe's data goes through it.
///
/// Writes are methods that keep the domain's invariants inside one transaction.
public struct AppDatabase: Sendable {
    /// The connection pool; tests and production both use real SQLite files.
    let writer: any DatabaseWriter

    /// Opens (creating if needed) the SQLite database at `path` and migrates it.
    public init(path: String) throws {
        let pool = try DatabasePool(path: path, configuration: Self.makeConfiguration())
        try self.init(pool)
    }

    /// Wraps an open writer and migrates it.
    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
    }

    /// The configuration every connection gets: durability and erasure come first.
    public static func makeConfiguration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // An acknowledged application survives power loss; erased rows are overwritten.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA secure_delete = ON")
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

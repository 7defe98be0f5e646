import ArgumentParser
import Foundation
import LetheCore

/// `lethe`: the recruitment applicant-tracking server that forgets on time.
@main
struct Lethe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lethe, the applicant-tracking server that forgets on time.",
        discussion: "Every option can also be set with an environment variable: LETHE_ followed by the option's name in upper case, e.g. LETHE_PORT.",
        subcommands: [Serve.self, User.self, Purge.self, Audit.self]
    )
}

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Option(help: "SQLite database file (LETHE_DATABASE).")
    var database: String = EnvironmentVariable.value("DATABASE") ?? "lethe.sqlite"

    @Option(help: "Directory of encrypted documents (LETHE_UPLOADS).")
    var uploads: String = EnvironmentVariable.value("UPLOADS") ?? "uploads"

    /// The database, migrated; or one line on standard error and exit 1.
    func openDatabase() -> AppDatabase {
        do {
            return try AppDatabase(path: database)
        } catch {
            fail("cannot open the database at \(database): \(error)")
        }
    }
}

/// Reads `LETHE_*` variables.
enum EnvironmentVariable {
    static func value(_ name: String) -> String? {
        ProcessInfo.processInfo.environment["LETHE_" + name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// An integer variable; a malformed value stops the program with one clear line.
    static func integer(_ name: String, default fallback: Int) -> Int {
        guard let text = value(name) else { return fallback }
        guard let number = Int(text) else { fail("LETHE_\(name) must be a whole number, not \"\(text)\"") }
        return number
    }

    /// A yes/no variable.
    static func flag(_ name: String) -> Bool {
        guard let text = value(name)?.lowercased() else { return false }
        switch text {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: fail("LETHE_\(name) must be true or false, not \"\(text)\"")
        }
    }
}

/// Prints one line to standard error and exits non-zero.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("lethe: \(message)\n".utf8))
    exit(1)
}

/// Prints a line to standard output at once (unbuffered), so it reaches a log file or pipe
/// before the server starts blocking.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

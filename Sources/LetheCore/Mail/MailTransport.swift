import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Hands a composed message on. Lethe does not speak SMTP itself: the system's sendmail
/// interface relays (with TLS and authentication), or a Maildir keeps the message locally.
public protocol MailTransport: Sendable {
    /// Delivers or throws ``MailTransportError``; every failure is tried again later.
    func deliver(_ mail: ComposedMail) async throws
    /// Delivers a batch and says, in order, how each went. By default one at a time.
    func deliver(batch: [ComposedMail]) async -> [MailTransportError?]
    /// One line for the operator at start, without addresses.
    var description: String { get }
}

extension MailTransport {
    public func deliver(batch: [ComposedMail]) async -> [MailTransportError?] {
        var outcomes: [MailTransportError?] = []
        for mail in batch {
            do {
                try await deliver(mail)
                outcomes.append(nil)
            } catch {
                outcomes.append((error as? MailTransportError) ?? MailTransportError("\(type(of: error))"))
            }
        }
        return outcomes
    }
}

/// Why a message was not handed on, as a class of error (never an address or a body).
public struct MailTransportError: Error, Equatable, CustomStringConvertible {
    public let reason: String

    /// An error; anything that looks like an address is masked.
    public init(_ reason: String) {
        self.reason = MailTransportError.withoutAddresses(reason)
    }

    public var description: String { reason }

    /// `user@example.com` → `<address>`: what a transport says goes to the log without addresses.
    static func withoutAddresses(_ text: String) -> String {
        text.split(separator: " ", omittingEmptySubsequences: false)
            .map { $0.contains("@") ? "<address>" : String($0) }
            .joined(separator: " ")
            .prefix(300)
            .description
    }
}

/// Writes each message as a file in a Maildir (`tmp/`, then renamed into `new/`), which any mail
/// client or a text editor opens. For development and the demo: nothing leaves the machine.
public struct MaildirTransport: MailTransport {
    public let directory: String

    /// A Maildir at `directory`, created (mode 0700) with its `tmp`, `new` and `cur`.
    public init(directory: String) throws {
        self.directory = directory
        for sub in ["", "/tmp", "/new", "/cur"] {
            try FileManager.default.createDirectory(atPath: directory + sub, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
    }

    public var description: String { "mail is kept locally in the Maildir \(directory), not sent" }

    public func deliver(_ mail: ComposedMail) async throws {
        if let error = await deliver(batch: [mail]).first ?? nil { throw error }
    }

    /// Writes the batch into `tmp/`, makes it durable with one flush of the file system, then
    /// renames each file into `new/` (where a mail client only ever sees whole messages) and
    /// flushes `new/` once: two flushes per batch instead of two per message.
    public func deliver(batch: [ComposedMail]) async -> [MailTransportError?] {
        let directory = self.directory
        do {
            return try await Blocking.run { try Self.write(batch, into: directory) }
        } catch {
            return batch.map { _ in MailTransportError("cannot write into the Maildir: \(error)") }
        }
    }

    private static func write(_ batch: [ComposedMail], into directory: String) throws -> [MailTransportError?] {
        var names: [String?] = []
        for mail in batch {
            let name = "\(Int(Date().timeIntervalSince1970)).\(SecretToken.generate().text.prefix(16)).lethe"
            do {
                let file = try PosixFile(path: directory + "/tmp/" + name, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
                try Array(mail.text.utf8).withUnsafeBytes { try file.write($0) }
                names.append(name)
            } catch {
                names.append(nil)
            }
        }
        try flushFileSystem(of: directory + "/tmp")
        var outcomes: [MailTransportError?] = []
        for name in names {
            guard let name else {
                outcomes.append(MailTransportError("cannot write into the Maildir"))
                continue
            }
            if rename(directory + "/tmp/" + name, directory + "/new/" + name) == 0 {
                outcomes.append(nil)
            } else {
                outcomes.append(MailTransportError("cannot move the message into the Maildir: \(String(cString: strerror(errno)))"))
                unlink(directory + "/tmp/" + name)
            }
        }
        try PosixFile.syncDirectory(directory + "/new")
        return outcomes
    }

    /// `syncfs(2)`: everything written to the file system holding `path` reaches the disk. Glibc
    /// declares it only under _GNU_SOURCE, so it is looked up by name; without it, `sync(2)`.
    private static func flushFileSystem(of path: String) throws {
        let directory = try PosixFile(path: path, flags: O_RDONLY | O_DIRECTORY)
        typealias SyncFS = @convention(c) (Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") {
            guard unsafeBitCast(symbol, to: SyncFS.self)(directory.fd) == 0 else { throw DocumentStoreError.io("syncfs", errno) }
        } else {
            sync()
        }
    }
}

/// Pipes each message to a sendmail-compatible command (default `/usr/sbin/sendmail -t -i`),
/// the interface msmtp, Postfix and Exim provide. A non-zero exit (75 is EX_TEMPFAIL) is a
/// failure to try again later; the command's output is kept without addresses.
public struct SendmailTransport: MailTransport {
    public let command: [String]

    /// A transport running `command` (split at spaces).
    public init(command: String) throws {
        let parts = command.split(separator: " ").map(String.init)
        guard let executable = parts.first, FileManager.default.isExecutableFile(atPath: executable) else {
            throw MailTransportError("the sendmail command \(command.split(separator: " ").first ?? "") is not an executable file")
        }
        self.command = parts
        // A command that exits before reading the whole message must not take the server with
        // it: the write then fails with EPIPE instead of raising SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
    }

    public var description: String { "mail is handed to \(command[0])" }

    public func deliver(_ mail: ComposedMail) async throws {
        let command = self.command
        try await Blocking.run {
            let (outcome, wroteAll) = try ChildProcess.run(command[0], Array(command.dropFirst()), input: Data(mail.text.utf8))
            if !wroteAll, outcome.status == 0 {
                throw MailTransportError("sendmail: the command did not read the whole message")
            }
            guard outcome.status == 0 else {
                let kind = outcome.status == 75 ? "temporary failure (75)" : "exit \(outcome.status)"
                let said = String(decoding: outcome.output, as: UTF8.self)
                throw MailTransportError("sendmail: \(kind): \(said.replacingOccurrences(of: "\n", with: " "))")
            }
        }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Hands a composed message on. Lethe does not speak SMTP itself: the system's sendmail
/// interface relays (with TLS and authentication), or a Maildir keeps the message locally.
public protocol MailTransport: Sendable {
    /// Delivers or throws ``MailTransportError``; every failure is tried again later.
    func deliver(_ mail: ComposedMail) async throws
    /// One line for the operator at start, without addresses.
    var description: String { get }
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
        let name = "\(Int(Date().timeIntervalSince1970)).\(SecretToken.generate().text.prefix(16)).lethe"
        let temporary = directory + "/tmp/" + name
        let data = Data(mail.text.utf8)
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw MailTransportError("cannot write into the Maildir")
        }
        guard rename(temporary, directory + "/new/" + name) == 0 else {
            unlink(temporary)
            throw MailTransportError("cannot move the message into the Maildir: \(String(cString: strerror(errno)))")
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
            let process = Process()
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let written = Result { try input.fileHandleForWriting.write(contentsOf: Data(mail.text.utf8)) }
            try? input.fileHandleForWriting.close()
            let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if case .failure = written, process.terminationStatus == 0 {
                throw MailTransportError("sendmail: the command did not read the whole message")
            }
            guard process.terminationStatus == 0 else {
                let kind = process.terminationStatus == 75 ? "temporary failure (75)" : "exit \(process.terminationStatus)"
                throw MailTransportError("sendmail: \(kind): \(said.replacingOccurrences(of: "\n", with: " "))")
            }
        }
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a command with `posix_spawn`, feeding it `input` and collecting what it writes to
/// standard output and error. Foundation's `Process.run()` on this toolchain (swift-corelibs-
/// foundation before swiftlang/swift-corelibs-foundation#5472) can crash the whole process with
/// SIGSEGV while it scans /proc/self/fd; a server must not die for sending one e-mail.
public enum ChildProcess {
    /// What the command did: its exit status (128 + the signal number when a signal ended it)
    /// and its output.
    public struct Outcome: Sendable {
        public let status: Int32
        public let output: Data
    }

    /// Runs `executable` with `arguments` and the server's environment; blocks until it exits.
    /// `wroteAllInput` is false when the command exited without reading all of `input`.
    public static func run(_ executable: String, _ arguments: [String], input: Data = Data()) throws -> (outcome: Outcome, wroteAllInput: Bool) {
        // Every descriptor made here is close-on-exec: the child keeps only the dup2'd copies.
        // Made and spawned under one lock, so that no other child launched here inherits them
        // between pipe() and fcntl() (Glibc's module does not offer pipe2).
        let (pid, stdinWrite, outputRead) = try launching.withLock { try spawn(executable, arguments) }
        return try finish(pid, stdinWrite, outputRead, input: input)
    }

    private static let launching = NSLock()

    private static func spawn(_ executable: String, _ arguments: [String]) throws -> (pid_t, Int32, Int32) {
        var stdinPipe: [Int32] = [0, 0], outputPipe: [Int32] = [0, 0]
        guard pipe(&stdinPipe) == 0 else { throw ChildProcessError("pipe", errno) }
        guard pipe(&outputPipe) == 0 else {
            close(stdinPipe[0]); close(stdinPipe[1])
            throw ChildProcessError("pipe", errno)
        }
        for fd in stdinPipe + outputPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(stdinPipe[0])
        close(outputPipe[1])
        guard spawned == 0 else {
            close(stdinPipe[1]); close(outputPipe[0])
            throw ChildProcessError("posix_spawn \(executable)", spawned)
        }
        return (pid, stdinPipe[1], outputPipe[0])
    }

    private static func finish(_ pid: pid_t, _ stdinWrite: Int32, _ outputRead: Int32, input: Data) throws -> (outcome: Outcome, wroteAllInput: Bool) {
        // Write everything, then read to the end (a command that answers only after reading
        // its whole input, as sendmail does).
        let wroteAll = input.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = write(stdinWrite, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        close(stdinWrite)
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = read(outputRead, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            output.append(contentsOf: buffer[0..<n])
        }
        close(outputRead)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw ChildProcessError("waitpid", errno) }
        }
        let signal = status & 0x7f
        let code = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        return (Outcome(status: code, output: output), wroteAll)
    }
}

/// A system call of ``ChildProcess`` failed.
public struct ChildProcessError: Error, CustomStringConvertible {
    public let description: String

    init(_ call: String, _ code: Int32) {
        description = "\(call) failed: \(String(cString: strerror(code)))"
    }
}

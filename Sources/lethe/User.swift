import ArgumentParser
import Foundation
import LetheCore

/// `lethe user ...`: manage staff accounts from the command line.
struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage staff accounts.", subcommands: [Add.self, ResetPassword.self])

    /// `lethe user add`: create an account; the password comes from standard input.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a staff account.")

        @OptionGroup var common: CommonOptions

        @Option(help: "The account's e-mail address, used to sign in.")
        var email: String

        @Option(help: "The person's name.")
        var name: String

        @Option(help: "hr or staff.")
        var role: StaffUser.Role

        @Flag(help: "Read the password from the first line of standard input.")
        var passwordStdin = false

        func validate() throws {
            guard passwordStdin else { throw ValidationError("give --password-stdin and pipe the password in; passwords are never taken as arguments") }
        }

        func run() async throws {
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                fail("no password on standard input")
            }
            let database = common.openDatabase()
            do {
                let user = try await database.createStaffUser(email: email, name: name, role: role, password: password, at: WallClock.system.now, actor: .system)
                print("Created \(role.rawValue) account \(user.id!) for \(user.email).")
            } catch let error as StaffAccountError {
                fail("cannot create the account: \(error)")
            }
        }
    }
}

/// `lethe user reset-password`: end the account's sessions, stop its password, and print a
/// one-time code with which its owner sets a new one at /login/reset.
struct ResetPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-password",
        abstract: "End an account's sessions and print a one-time code to set a new password."
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "The account's e-mail address.")
    var email: String

    func run() async throws {
        let database = common.openDatabase()
        guard let user = try await database.staffUser(email: email) else { fail("there is no account with the e-mail address \(email)") }
        guard let code = try await database.resetPassword(staffUserId: user.id!, actor: .system, at: WallClock.system.now) else { fail("no code was made") }
        print("The password of account \(user.id!) was reset and its sessions ended.")
        print("One-time code (valid 24 hours, at /login/reset): \(code.text)")
    }
}

extension StaffUser.Role: ExpressibleByArgument {}

import ArgumentParser
import Foundation
import LetheCore

/// `lethe user ...`: manage staff accounts from the command line.
struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage staff accounts.", subcommands: [Add.self])

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
            do {
                let database = try AppDatabase(path: common.database)
                let user = try await database.createStaffUser(email: email, name: name, role: role, password: password, at: WallClock.system.now, actor: .system)
                print("Created \(role.rawValue) account \(user.id!) for \(user.email).")
            } catch let error as StaffAccountError {
                fail("cannot create the account: \(error)")
            } catch {
                fail("cannot open the database at \(common.database): \(error)")
            }
        }
    }
}

extension StaffUser.Role: ExpressibleByArgument {}

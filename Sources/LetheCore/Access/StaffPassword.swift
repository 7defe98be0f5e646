import Crypto
import Foundation
import HummingbirdBcrypt

/// Why an account could not be created.
public enum StaffAccountError: Error, Equatable, CustomStringConvertible {
    case invalidEmail
    case emptyName
    case passwordTooShort
    case passwordTooLong
    /// bcrypt reads only the first 72 bytes; a longer password would be cut silently.
    case passwordOverBcryptLimit
    /// The password is on the list of common and breached passwords.
    case commonPassword
    /// The password contains the account's e-mail name or the person's name.
    case passwordContainsAccountDetails
    /// The two new passwords typed differ.
    case passwordsDiffer
    /// The current password given to change it is wrong.
    case wrongCurrentPassword
    /// The e-mail address, the one-time code or its validity do not match.
    case invalidResetCode
    case emailTaken

    public var description: String {
        switch self {
        case .invalidEmail: "the e-mail address is not valid"
        case .emptyName: "the name is empty"
        case .passwordTooShort: "the password must have at least \(StaffPassword.minimumLength) characters"
        case .passwordTooLong: "the password must have at most \(StaffPassword.maximumLength) characters"
        case .passwordOverBcryptLimit: "the password is longer than 72 bytes in UTF-8, which bcrypt cannot use in full; choose a shorter one"
        case .commonPassword: "this password is on a list of common and breached passwords that attackers try first; choose another, e.g. a few unrelated words"
        case .passwordContainsAccountDetails: "the password must not contain the e-mail address or the name of the account"
        case .passwordsDiffer: "the two new passwords are not the same"
        case .wrongCurrentPassword: "the current password is wrong"
        case .invalidResetCode: "the e-mail address or the one-time code is wrong, or the code has expired or was used; ask HR for a new code"
        case .emailTaken: "an account with that e-mail address already exists"
        }
    }

    /// The description as a sentence for a page: capital first letter, full stop.
    public var sentence: String {
        description.prefix(1).uppercased() + description.dropFirst() + "."
    }
}

/// The password rules and hashing of staff accounts.
public enum StaffPassword {
    public static let minimumLength = 12
    public static let maximumLength = 128
    public static let bcryptCost: UInt8 = 12

    /// A real hash of a random password: verifying against it when an account is unknown makes
    /// that answer as slow as a wrong password, so timing does not reveal which accounts exist.
    public static let decoyHash = Bcrypt.hash(UUID().uuidString, cost: bcryptCost)

    /// Checks a new password against the rules: its length, bcrypt's 72-byte limit, the list of
    /// common and breached passwords, and the account's own e-mail name and person's name.
    public static func check(_ password: String, email: String, name: String) throws(StaffAccountError) {
        if password.count < minimumLength { throw .passwordTooShort }
        if password.count > maximumLength { throw .passwordTooLong }
        if password.utf8.count > 72 { throw .passwordOverBcryptLimit }
        let folded = password.lowercased()
        if CommonPasswords.contains(folded) || CommonPasswords.contains(folded.filter { !$0.isWhitespace }) { throw .commonPassword }
        let localPart = email.lowercased().split(separator: "@").first.map(String.init) ?? ""
        let personal = [localPart, name.lowercased().filter { !$0.isWhitespace }] + name.lowercased().split(separator: " ").map(String.init)
        if personal.contains(where: { $0.count >= 4 && folded.filter { !$0.isWhitespace }.contains($0) }) {
            throw .passwordContainsAccountDetails
        }
    }

    /// bcrypt (cost 12) of the password; slow by design, so it runs off the caller's thread.
    public static func hash(_ password: String) async throws -> String {
        try await Blocking.run { Bcrypt.hash(password, cost: bcryptCost) }
    }

    /// Whether the password matches the hash.
    public static func verify(_ password: String, hash: String) async throws -> Bool {
        try await Blocking.run { Bcrypt.verify(password, hash: hash) }
    }
}

/// The list of common and breached passwords shipped with Lethe (see scripts/make-password-list.py).
enum CommonPasswords {
    private static let list: Set<String> = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("the common-password list is missing from LetheCore's resources") }
        return Set(text.split(separator: "\n").map(String.init))
    }()

    /// Whether `password` (lower case) is on the list.
    static func contains(_ password: String) -> Bool { list.contains(password) }

    /// How many passwords the list holds; reading it loads it.
    public static var count: Int { list.count }
}

/// A one-time code to set a new password: 12 characters of Crockford's base32 (60 bits), shown
/// as `ABCD-EFGH-JKMN`. Only its SHA-256 is stored; it works once, for a limited time.
public struct PasswordResetCode: Sendable {
    /// The code as shown to the person.
    public let text: String
    /// How long a code stays valid.
    public static let lifetime: TimeInterval = 24 * 60 * 60
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// A fresh random code.
    public static func generate() -> PasswordResetCode {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<12).map { _ in alphabet[Int(generator.next(upperBound: UInt8(alphabet.count)))] }
        let text = [0, 4, 8].map { String(characters[$0..<($0 + 4)]) }.joined(separator: "-")
        return PasswordResetCode(text: text)
    }

    /// How long a code sent as a link by e-mail stays valid.
    public static let linkLifetime: TimeInterval = 30 * 60

    /// A fresh code for a link: 256 random bits, too long to type, made to be clicked.
    public static func generateLink() -> PasswordResetCode {
        PasswordResetCode(text: SecretToken.generate().text)
    }

    private init(text: String) { self.text = text }

    /// The stored hash of a code as typed (case, spaces and dashes do not matter; O is 0, I and L are 1).
    static func hash(typed: String) -> Data {
        let normalized = typed.uppercased().filter { !$0.isWhitespace && $0 != "-" }
            .map { $0 == "O" ? "0" : ($0 == "I" || $0 == "L" ? "1" : $0) }
        return Data(SHA256.hash(data: Data(String(normalized).utf8)))
    }
}


import Crypto
import Foundation
import GRDB
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

extension AppDatabase {
    /// Creates a staff account after checking its fields.
    @discardableResult
    public func createStaffUser(email: String, name: String, role: StaffUser.Role, password: String, at date: Date, actor: AuditActor) async throws -> StaffUser {
        let email = email.trimmingCharacters(in: .whitespaces)
        let name = name.trimmingCharacters(in: .whitespaces)
        guard ApplicationForm.isPlausibleEmail(email) else { throw StaffAccountError.invalidEmail }
        guard !name.isEmpty else { throw StaffAccountError.emptyName }
        try StaffPassword.check(password, email: email, name: name)
        let hash = try await StaffPassword.hash(password)
        return try await writer.write { db in
            if try StaffUser.filter(StaffUser.Columns.email == email).fetchCount(db) > 0 { throw StaffAccountError.emailTaken }
            var user = StaffUser(email: email, name: name, role: role, passwordHash: hash, createdAt: date)
            try user.insert(db)
            try AuditLog.append(db, at: date, actor: actor, action: "staff.created", subjectType: "staff_user", subjectId: user.id, detail: "role=\(role.rawValue)")
            return user
        }
    }

    /// The account with this e-mail address (case-insensitive), or nil.
    public func staffUser(email: String) async throws -> StaffUser? {
        try await writer.read { db in try StaffUser.filter(StaffUser.Columns.email == email).fetchOne(db) }
    }

    /// Seats a staff member on a vacancy's panel (no-op when already seated).
    public func addPanelMember(vacancyId: Int64, staffUserId: Int64, at date: Date, actor: AuditActor) async throws {
        try await writer.write { db in
            guard try PanelMembership.filter(Column("vacancy_id") == vacancyId && Column("staff_user_id") == staffUserId).fetchCount(db) == 0 else { return }
            try PanelMembership(vacancyId: vacancyId, staffUserId: staffUserId, addedAt: date).insert(db)
            try AuditLog.append(db, at: date, actor: actor, action: "panel.member_added", subjectType: "vacancy", subjectId: vacancyId, detail: "staff_user=\(staffUserId)")
        }
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

    private init(text: String) { self.text = text }

    /// The stored hash of a code as typed (case, spaces and dashes do not matter; O is 0, I and L are 1).
    static func hash(typed: String) -> Data {
        let normalized = typed.uppercased().filter { !$0.isWhitespace && $0 != "-" }
            .map { $0 == "O" ? "0" : ($0 == "I" || $0 == "L" ? "1" : $0) }
        return Data(SHA256.hash(data: Data(String(normalized).utf8)))
    }
}

extension AppDatabase {
    /// The user changes their own password: the current one is required, and every other
    /// session of theirs ends (the one in use, `keepSessionId`, stays).
    public func changePassword(of user: StaffUser, current: String, new: String, confirmation: String, keepSessionId: String, at now: Date) async throws {
        guard try await StaffPassword.verify(current, hash: user.passwordHash) else { throw StaffAccountError.wrongCurrentPassword }
        guard new == confirmation else { throw StaffAccountError.passwordsDiffer }
        try StaffPassword.check(new, email: user.email, name: user.name)
        let hash = try await StaffPassword.hash(new)
        let keep = SecretToken(keepSessionId)?.hash ?? Data()
        try await writer.write { db in
            guard try StaffUser.fetchOne(db, key: user.id!) != nil else { throw NotFound("staff account") }
            try db.execute(sql: "UPDATE staff_user SET password_hash = ? WHERE id = ?", arguments: [hash, user.id])
            try db.execute(sql: "DELETE FROM session WHERE staff_user_id = ? AND id_hash != ?", arguments: [user.id, keep])
            try AuditLog.append(db, at: now, actor: .staff(user.id!), action: "staff.password_changed", subjectType: "staff_user", subjectId: user.id)
        }
    }

    /// Forces a new password: the account's sessions end, its password stops working, and the
    /// returned one-time code (valid ``PasswordResetCode/lifetime``) lets its owner set a new one.
    public func resetPassword(staffUserId: Int64, actor: AuditActor, at now: Date) async throws -> PasswordResetCode {
        let code = PasswordResetCode.generate()
        try await writer.write { db in
            guard try StaffUser.fetchOne(db, key: staffUserId) != nil else { throw NotFound("staff account") }
            try db.execute(sql: "UPDATE staff_user SET password_hash = ? WHERE id = ?", arguments: [StaffPassword.decoyHash, staffUserId])
            try db.execute(sql: "DELETE FROM session WHERE staff_user_id = ?", arguments: [staffUserId])
            try db.execute(sql: """
                INSERT INTO password_reset (staff_user_id, code_hash, created_at, expires_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(staff_user_id) DO UPDATE SET code_hash = excluded.code_hash, created_at = excluded.created_at, expires_at = excluded.expires_at
                """, arguments: [staffUserId, PasswordResetCode.hash(typed: code.text), now, now.addingTimeInterval(PasswordResetCode.lifetime)])
            try AuditLog.append(db, at: now, actor: actor, action: "staff.password_reset", subjectType: "staff_user", subjectId: staffUserId)
        }
        return code
    }

    /// Sets a new password with a one-time code; the code is used up and every session ends.
    /// Any mismatch (address, code, expiry) is the same ``StaffAccountError/invalidResetCode``.
    public func completePasswordReset(email: String, code: String, new: String, confirmation: String, at now: Date) async throws -> StaffUser {
        let found = try await writer.read { db -> (StaffUser, Data, Date)? in
            guard let user = try StaffUser.filter(StaffUser.Columns.email == email).fetchOne(db),
                  let row = try Row.fetchOne(db, sql: "SELECT code_hash, expires_at FROM password_reset WHERE staff_user_id = ?", arguments: [user.id])
            else { return nil }
            return (user, row["code_hash"], row["expires_at"])
        }
        guard let (user, stored, expires) = found, expires > now,
              Self.constantTimeEqual(stored, PasswordResetCode.hash(typed: code))
        else { throw StaffAccountError.invalidResetCode }
        guard new == confirmation else { throw StaffAccountError.passwordsDiffer }
        try StaffPassword.check(new, email: user.email, name: user.name)
        let hash = try await StaffPassword.hash(new)
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM password_reset WHERE staff_user_id = ? AND code_hash = ?", arguments: [user.id, stored])
            guard db.changesCount == 1 else { throw StaffAccountError.invalidResetCode }
            try db.execute(sql: "UPDATE staff_user SET password_hash = ? WHERE id = ?", arguments: [hash, user.id])
            try db.execute(sql: "DELETE FROM session WHERE staff_user_id = ?", arguments: [user.id])
            try AuditLog.append(db, at: now, actor: .staff(user.id!), action: "staff.password_set", subjectType: "staff_user", subjectId: user.id)
        }
        return user
    }

    /// Removes one-time codes past their time; returns how many.
    @discardableResult
    public func removeExpiredResetCodes(at now: Date) async throws -> Int {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM password_reset WHERE expires_at <= ?", arguments: [now])
            return db.changesCount
        }
    }

    private static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

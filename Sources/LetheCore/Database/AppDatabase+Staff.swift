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
    case emailTaken

    public var description: String {
        switch self {
        case .invalidEmail: "the e-mail address is not valid"
        case .emptyName: "the name is empty"
        case .passwordTooShort: "the password must have at least \(StaffPassword.minimumLength) characters"
        case .passwordTooLong: "the password must have at most \(StaffPassword.maximumLength) characters"
        case .passwordOverBcryptLimit: "the password is longer than 72 bytes in UTF-8, which bcrypt cannot use in full; choose a shorter one"
        case .emailTaken: "an account with that e-mail address already exists"
        }
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

    /// Checks a new password against the rules.
    public static func check(_ password: String) throws(StaffAccountError) {
        if password.count < minimumLength { throw .passwordTooShort }
        if password.count > maximumLength { throw .passwordTooLong }
        if password.utf8.count > 72 { throw .passwordOverBcryptLimit }
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
        try StaffPassword.check(password)
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

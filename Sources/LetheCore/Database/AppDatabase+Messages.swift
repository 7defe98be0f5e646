import Foundation
import GRDB

extension AppDatabase {
    /// A panel member writes to the applicant: the message joins the thread and, when
    /// `compose` writes one, an e-mail carrying a link of its own to the thread is queued in
    /// the same transaction.
    public func postStaffMessage(
        applicationId: Int64, by user: StaffUser, _ message: StaffMessageForm.Valid,
        compose: (@Sendable (LinkedApplication, SecretToken) -> OutgoingMail?)?, at now: Date
    ) async throws {
        try await writer.write { db in
            try Self.postStaffMessage(db, applicationId: applicationId, by: user, compose: compose, at: now) { _ in message }
        }
    }

    /// Posts a message `write` words for the application, inside the caller's transaction.
    static func postStaffMessage(
        _ db: Database, applicationId: Int64, by user: StaffUser,
        compose: (@Sendable (LinkedApplication, SecretToken) -> OutgoingMail?)?, at now: Date,
        write: (LinkedApplication) -> StaffMessageForm.Valid
    ) throws {
        guard let application = try Self.linkedApplications(db, where: "a.id = ?", arguments: [applicationId]).first else { throw NotFound("application") }
        let message = write(application)
        var stored = ThreadMessage(applicationId: applicationId, author: .staff, staffUserId: user.id, subject: message.subject, body: message.body, createdAt: now)
        try stored.insert(db)
        if let compose, let mail = compose(application, try Self.issueExtraLink(db, applicationId: applicationId, at: now)) {
            try Self.enqueue(db, mail, applicationId: applicationId, at: now)
        }
        try AuditLog.append(db, at: now, actor: .staff(user), action: "message.sent", subjectType: "application", subjectId: applicationId, detail: "message=\(stored.id!)")
    }

    /// The applicant answers on their private link: the answer joins the thread and each
    /// member of the vacancy's panel with a working account gets a notice from `notify`, which
    /// must say only that an answer waits.
    public func postApplicantReply(linkHash: Data, body: String, notify: (@Sendable (Int64, StaffUser) -> OutgoingMail?)?, at now: Date) async throws {
        try await writer.write { db in
            guard let application = try Self.application(db, linkHash: linkHash), let applicationId = application.id else { throw NotFound("application") }
            var stored = ThreadMessage(applicationId: applicationId, author: .applicant, body: body, createdAt: now)
            try stored.insert(db)
            if let notify {
                let panel = try StaffUser
                    .joining(required: StaffUser.panelMemberships.filter(PanelMembership.Columns.vacancyId == application.vacancyId))
                    .filter(StaffUser.Columns.disabledAt == nil).order(StaffUser.Columns.id).fetchAll(db)
                for member in panel {
                    guard let mail = notify(applicationId, member) else { continue }
                    try Self.enqueue(db, mail, applicationId: applicationId, staffUserId: member.id, at: now)
                }
            }
            try AuditLog.append(db, at: now, actor: .applicant, action: "message.received", subjectType: "application", subjectId: applicationId, detail: "message=\(stored.id!)")
        }
    }

    /// HR's message templates, with the standard text where HR has written none.
    public func messageTemplates() async throws -> [MessageTemplate.Purpose: (subject: String, body: String)] {
        let stored = try await writer.read { db in try MessageTemplate.fetchAll(db) }
        var templates: [MessageTemplate.Purpose: (subject: String, body: String)] = [:]
        for purpose in MessageTemplate.Purpose.allCases {
            templates[purpose] = stored.first { $0.purpose == purpose }.map { ($0.subject, $0.body) } ?? MessageTemplate.standard(purpose)
        }
        return templates
    }

    /// HR saves the three templates at once.
    public func saveMessageTemplates(_ templates: [MessageTemplate.Purpose: (subject: String, body: String)], by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            for (purpose, text) in templates.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                try db.execute(sql: """
                    INSERT INTO message_template (purpose, subject, body, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(purpose) DO UPDATE SET subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                    """, arguments: [purpose.rawValue, text.subject, text.body, now, user.id])
            }
            try AuditLog.append(db, at: now, actor: .staff(user), action: "message_templates.saved", subjectType: nil, subjectId: nil)
        }
    }
}

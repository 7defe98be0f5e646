import Foundation
import Testing
import LetheCore
import LetheTestSupport

@Suite struct AccessPolicyTests {
    enum Seat: String, CaseIterable, Sendable { case thisVacancy, otherVacancy, none }

    typealias Action = AccessPolicy.Action

    /// The expected answer for every role and seat, written out in full.
    static let allowed: [StaffUser.Role: [Seat: Set<Action>]] = [
        .staff: [
            .thisVacancy: [.listApplications, .viewApplication, .downloadDocument, .assess, .changeStatus, .recordCheck, .writeToApplicant],
            .otherVacancy: [],
            .none: [],
        ],
        .hr: [
            .thisVacancy: [.listApplications, .viewApplication, .downloadDocument, .assess, .changeStatus, .recordCheck, .writeToApplicant, .managePanel],
            .otherVacancy: [.managePanel],
            .none: [.managePanel],
        ],
    ]

    static let cases: [(StaffUser.Role, Seat, Action)] = StaffUser.Role.allCases.flatMap { role in
        Seat.allCases.flatMap { seat in Action.allCases.map { (role, seat, $0) } }
    }

    @Test(arguments: cases)
    func matrix(role: StaffUser.Role, seat: Seat, action: Action) async throws {
        let workspace = try TestWorkspace()
        let db = workspace.database
        let now = Date()
        let target = try await db.createVacancy(Vacancy(title: "A", description: "d", location: "l", closesOn: "2099-01-01", international: false, createdAt: now), destinations: [], actor: .system)
        let other = try await db.createVacancy(Vacancy(title: "B", description: "d", location: "l", closesOn: "2099-01-01", international: false, createdAt: now), destinations: [], actor: .system)
        let user = try await db.createStaffUser(email: "u@example.org", name: "U", role: role, password: "a long enough password", at: now, actor: .system)
        switch seat {
        case .thisVacancy: try await db.addPanelMember(vacancyId: target.id!, staffUserId: user.id!, at: now, actor: .system)
        case .otherVacancy: try await db.addPanelMember(vacancyId: other.id!, staffUserId: user.id!, at: now, actor: .system)
        case .none: break
        }
        let expected = Self.allowed[role]![seat]!.contains(action)
        #expect(try await db.authorize(user, action, vacancyId: target.id!) == expected)
    }

    /// Where the user sits, for one application of vacancy A.
    enum ApplicationSeat: String, CaseIterable, Sendable {
        case ownVacancy, poolProposal, poolProposalConsentWithdrawn, otherVacancy, none
    }

    static let applicationActions: [Action] = [.viewApplication, .downloadDocument, .assess, .changeStatus, .recordCheck, .writeToApplicant]

    /// The expected answers for one application, written out in full: a panel the application
    /// was proposed to from the talent pool reads, downloads and assesses while the consent is
    /// live, and decides nothing; HR's role adds nothing here.
    static let allowedOnApplication: [ApplicationSeat: Set<Action>] = [
        .ownVacancy: [.viewApplication, .downloadDocument, .assess, .changeStatus, .recordCheck, .writeToApplicant],
        .poolProposal: [.viewApplication, .downloadDocument, .assess],
        .poolProposalConsentWithdrawn: [],
        .otherVacancy: [],
        .none: [],
    ]

    static let applicationCases: [(StaffUser.Role, ApplicationSeat, Action)] = StaffUser.Role.allCases.flatMap { role in
        ApplicationSeat.allCases.flatMap { seat in applicationActions.map { (role, seat, $0) } }
    }

    @Test(arguments: applicationCases)
    func applicationMatrix(role: StaffUser.Role, seat: ApplicationSeat, action: Action) async throws {
        let workspace = try TestWorkspace()
        let db = workspace.database
        let now = Date()
        try await db.publishDefaultNotices(at: now, controller: .init(name: "Test A/S", contact: "dpo@test.example"), policy: RetentionPolicy())
        let a = try await db.createVacancy(Vacancy(title: "A", description: "d", location: "l", closesOn: "2099-01-01", international: false, createdAt: now), destinations: [], actor: .system)
        let b = try await db.createVacancy(Vacancy(title: "B", description: "d", location: "l", closesOn: "2099-01-01", international: false, createdAt: now), destinations: [], actor: .system)
        try workspace.insertSyntheticApplications(vacancyId: a.id!, count: 1, at: now)
        let applicationId = try workspace.direct { db in try Int64.fetchOne(db, sql: "SELECT id FROM application")! }
        let hr = try await db.createStaffUser(email: "hr@example.org", name: "HR", role: .hr, password: "a long enough password", at: now, actor: .system)
        let user = try await db.createStaffUser(email: "u@example.org", name: "U", role: role, password: "a long enough password", at: now, actor: .system)
        let inAYear = DayFormat.string(from: now.addingTimeInterval(200 * 86_400))
        switch seat {
        case .ownVacancy:
            try await db.addPanelMember(vacancyId: a.id!, staffUserId: user.id!, at: now, actor: .system)
        case .poolProposal, .poolProposalConsentWithdrawn:
            try await db.addPanelMember(vacancyId: b.id!, staffUserId: user.id!, at: now, actor: .system)
            try await db.recordConsent(applicationId: applicationId, lastDay: inAYear, evidence: "letter", by: hr, policy: RetentionPolicy(), at: now)
            try await db.propose(applicationId: applicationId, toVacancy: b.id!, by: hr, at: now)
            if seat == .poolProposalConsentWithdrawn {
                try workspace.direct { db in try db.execute(sql: "UPDATE consent SET withdrawn_at = ?", arguments: [now]) }
            }
        case .otherVacancy:
            try await db.addPanelMember(vacancyId: b.id!, staffUserId: user.id!, at: now, actor: .system)
        case .none:
            break
        }
        let expected = Self.allowedOnApplication[seat]!.contains(action)
        #expect(try await db.authorize(user, action, applicationId: applicationId, at: now.addingTimeInterval(60)) == expected)
    }

    @Test(arguments: Action.allCases)
    func disabledAccountMayDoNothing(action: Action) {
        #expect(!AccessPolicy.permits(action, .init(role: .hr, isDisabled: true, isPanelMember: true)))
    }
}

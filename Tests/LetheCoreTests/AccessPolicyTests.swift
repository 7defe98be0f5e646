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

    @Test(arguments: Action.allCases)
    func disabledAccountMayDoNothing(action: Action) {
        #expect(!AccessPolicy.permits(action, .init(role: .hr, isDisabled: true, isPanelMember: true)))
    }
}

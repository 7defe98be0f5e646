import Foundation

/// The demo accounts and vacancies of `lethe serve --demo`, added only when absent.
public enum DemoData {
    /// A demo sign-in, printed for the person trying Lethe.
    public struct Login: Sendable {
        public let email: String
        public let password: String
        public let role: StaffUser.Role
        public let note: String
    }

    /// The demo sign-ins. The passwords are public: use them only with demo data.
    public static let logins: [Login] = [
        Login(email: "hr@demo.lethe.example", password: "demo harbour lantern", role: .hr, note: "HR; not on any panel"),
        Login(email: "panel@demo.lethe.example", password: "demo orchard violin", role: .staff, note: "panel member of both vacancies"),
        Login(email: "staff@demo.lethe.example", password: "demo meadow compass", role: .staff, note: "on no panel"),
    ]

    /// Adds whatever demo data is missing and returns the sign-ins.
    @discardableResult
    public static func seed(_ database: AppDatabase, now: Date) async throws -> [Login] {
        let names = ["Hanne Hansen (HR)", "Peter Panel", "Sofie Staff"]
        var users: [StaffUser] = []
        for (login, name) in zip(logins, names) {
            if let existing = try await database.staffUser(email: login.email) {
                users.append(existing)
            } else {
                users.append(try await database.createStaffUser(email: login.email, name: name, role: login.role, password: login.password, at: now, actor: .system))
            }
        }
        let closes = DayFormat.string(from: DayFormat.calendar.date(byAdding: .day, value: 60, to: now)!)
        let vacancies: [(Vacancy, [TransferDestination])] = [
            (Vacancy(
                title: "Arkivmedarbejder", description: "Hold orden i vores arkiv, og hjælp kolleger med at finde det, de har brug for.\n\nFuldtid på kontoret i København.",
                location: "København", closesOn: closes, international: false, createdAt: now
            ).with(employmentType: .permanent, hours: "37 timer om ugen", salary: "Efter overenskomst", contact: "Mette Madsen, arkivchef, 33 12 34 56"), []),
            (Vacancy(
                title: "Partnerships Coordinator (international)",
                description: "Coordinate projects with our partners abroad.\n\nThe hiring panel includes colleagues from our partner organisation, so applications are shared with them.",
                location: "Aarhus and remote", closesOn: closes, international: true, createdAt: now
            ), [TransferDestination(vacancyId: 0, country: "US", recipient: "Example Partners Inc., Boston", safeguard: .scc)]),
        ]
        for (vacancy, destinations) in vacancies {
            let stored: Vacancy
            if let existing = try await database.vacancy(titled: vacancy.title) {
                stored = existing
            } else {
                stored = try await database.createVacancy(vacancy, destinations: destinations, actor: .system)
            }
            try await database.addPanelMember(vacancyId: stored.id!, staffUserId: users[1].id!, at: now, actor: .system)
        }
        return logins
    }
}

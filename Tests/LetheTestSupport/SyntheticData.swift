import Foundation
import GRDB
import LetheCore

extension TestWorkspace {
    /// Creates "Archivist", closing in 30 days; an international one names one partner in the US.
    public func makeVacancy(international: Bool = false, status: Vacancy.Status = .open, at now: Date) async throws -> Vacancy {
        try await database.createVacancy(
            Vacancy(title: "Archivist", description: "A job.", location: "Here", closesOn: DayFormat.string(from: now.addingTimeInterval(30 * 86_400)), international: international, status: status, createdAt: now),
            destinations: international ? [TransferDestination(vacancyId: 0, country: "US", recipient: "Partner Inc.", safeguard: .scc)] : [], actor: .system
        )
    }

    /// Inserts `count` applications named `Applicant 000`, `Applicant 001`, ... directly, without
    /// documents; for list tests that need volume, not uploads.
    public func insertSyntheticApplications(vacancyId: Int64, count: Int, at now: Date) throws {
        try direct { db in
            for i in 0..<count {
                var application = JobApplication(
                    vacancyId: vacancyId, tokenHash: SecretToken.generate().hash, name: String(format: "Applicant %03d", i),
                    email: "applicant\(i)@example.com", phone: nil, coverLetter: nil,
                    status: JobApplication.Status.allCases[i % JobApplication.Status.allCases.count],
                    submittedAt: now.addingTimeInterval(Double(i)), retentionUntil: now.addingTimeInterval(180 * 86_400)
                )
                try application.insert(db)
            }
        }
    }
}

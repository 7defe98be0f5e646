import Foundation
import GRDB
@testable import LetheCore

extension AppDatabase {
    /// Inserts `count` applications named `Applicant 000`, `Applicant 001`, ... directly, without
    /// documents; for list and benchmark tests that need volume, not uploads.
    public func insertSyntheticApplications(vacancyId: Int64, count: Int, at now: Date) async throws {
        try await writer.write { db in
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

extension AppDatabase {
    /// Direct write access, for tests that tamper with stored data on purpose.
    public var writerForTests: any DatabaseWriter { writer }
}

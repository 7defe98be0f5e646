import Foundation
import GRDB
import LetheTestSupport
import Testing
@testable import LetheCore

/// The database's rules, without HTTP: what one submission stores, how consent moves the
/// erasure date, who the panel is.
@Suite struct AppDatabaseTests {
    let workspace: TestWorkspace
    let database: AppDatabase
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let policy = RetentionPolicy()

    init() async throws {
        workspace = try TestWorkspace()
        database = workspace.database
        try await database.publishDefaultNotices(at: now, controller: DataController(name: "Test A/S", contact: "dpo@test.example"), policy: policy)
    }

    func makeVacancy(international: Bool = false, status: Vacancy.Status = .open) async throws -> (vacancy: Vacancy, destinations: [TransferDestination]) {
        let vacancy = try await workspace.makeVacancy(international: international, status: status, at: now)
        return try #require(try await database.vacancy(id: vacancy.id!))
    }

    func submission(to found: (vacancy: Vacancy, destinations: [TransferDestination]), shown: ShownTerms? = nil, email: String = "ada@example.com") async throws -> ApplicationSubmission {
        var form = ApplicationForm(values: [
            "name": "Ada Applicant", "email": email, "privacy_ack": "yes",
            "reference_1_name": "Rita", "reference_1_contact": "rita@example.com", "reference_1_permission": "yes",
        ])
        if found.vacancy.international { form.values["transfer_ack"] = "yes" }
        let valid = try form.validate(international: found.vacancy.international).get()
        let notices = try await database.currentNotices()
        let terms = shown ?? ShownTerms(vacancy: found.vacancy, destinations: found.destinations, notices: notices)
        let document = StoredDocument(storageName: SecretToken.generate().text, key: Data(count: 32), originalName: "cv.pdf", mediaType: "application/pdf", size: 10)
        return ApplicationSubmission(vacancyId: found.vacancy.id!, form: valid, shown: terms, document: document, tokenHash: SecretToken.generate().hash)
    }

    func rows(_ table: String) throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")! }
    }

    @Test func oneSubmissionStoresEverythingTogether() async throws {
        let found = try await makeVacancy(international: true)
        let id = try await database.submit(try await submission(to: found), at: now, policy: policy)
        let record = try #require(try await database.applicationRecord(id: id))
        #expect(record.documents.count == 1)
        #expect(record.references.map(\.reference.permissionGiven) == [true])
        #expect(Set(record.acknowledgements.map(\.notice.kind)) == [.privacy, .transfer, .reference])
        #expect(record.acknowledgedDestinations.map(\.recipient) == ["Partner Inc."])
        #expect(record.application.retentionUntil == policy.baseEnd(submittedAt: now))
        #expect(try database.read { db in try String.fetchAll(db, sql: "SELECT action FROM audit_event") }.contains("application.submitted"))
    }

    @Test func aRefusedSubmissionStoresNothing() async throws {
        let closed = try await makeVacancy(status: .closed)
        let open = try await makeVacancy()
        let before = try ["application", "document", "reference", "notice_acknowledgement", "audit_event"].map(rows)

        await #expect(throws: SubmissionError.vacancyClosed) { try await database.submit(try await submission(to: closed), at: now, policy: policy) }
        // The page showed a domestic vacancy; it has become international since.
        let shownDomestic = try await submission(to: open)
        try await database.addDestination(vacancyId: open.vacancy.id!, country: "CA", recipient: "Maple", safeguard: .adequacy, by: StaffUser(id: 0, email: "x@y.z", name: "X", role: .hr, passwordHash: "", createdAt: now), at: now)
        let afterPartner = try ["application", "document", "reference", "notice_acknowledgement", "audit_event"].map(rows)
        await #expect(throws: TermsChanged.self) { try await database.submit(shownDomestic, at: now, policy: policy) }
        #expect(try ["application", "document", "reference", "notice_acknowledgement", "audit_event"].map(rows) == afterPartner)
        #expect(afterPartner[0...3] == before[0...3])

        var unknown = try await submission(to: open)
        unknown.vacancyId = 999_999
        await #expect(throws: NotFound.self) { try await database.submit(unknown, at: now, policy: policy) }
    }

    /// Submissions arriving together share transactions (group commit), each in a savepoint:
    /// a refused one leaves no trace and takes none of the others with it, and two forms for
    /// the same address sent at once store one application.
    @Test func submissionsSentTogetherAreStoredOrRefusedEachOnItsOwn() async throws {
        let found = try await makeVacancy()
        var closedSubmission = try await submission(to: try await makeVacancy(status: .closed), email: "late@example.com")
        closedSubmission.form.references = []
        var submissions = [closedSubmission]
        for i in 0..<30 { submissions.append(try await submission(to: found, email: "person\(i)@example.com")) }
        submissions.append(try await submission(to: found, email: "PERSON7@example.com"))
        let outcomes = await withTaskGroup(of: (String, Result<Int64, any Error>).self) { group in
            for submission in submissions {
                group.addTask { [database, now, policy] in
                    do { return (submission.form.email, .success(try await database.submit(submission, at: now, policy: policy))) } catch { return (submission.form.email, .failure(error)) }
                }
            }
            return await group.reduce(into: [(String, Result<Int64, any Error>)]()) { $0.append($1) }
        }
        let stored = outcomes.filter { if case .success = $0.1 { true } else { false } }
        #expect(stored.count == 30)
        let refused = outcomes.filter { if case .failure = $0.1 { true } else { false } }.map { $0.0.lowercased() }.sorted()
        #expect(refused == ["late@example.com", "person7@example.com"])
        #expect(try rows("application") == 30)
        #expect(try rows("document") == 30)
        #expect(try rows("reference") == 30)
        #expect(try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_event WHERE action = 'application.submitted'") } == 30)
        #expect(try database.read { db in try AuditLog.verify(db) } == .intact(events: try rows("audit_event")))
    }

    @Test func consentExtendsRetentionAndWithdrawingItFallsBackAtOnce() async throws {
        let found = try await makeVacancy()
        let submitted = try await submission(to: found)
        let id = try await database.submit(submitted, at: now, policy: policy)
        let retentionNotice = try #require(try await database.currentNotices()[.retention])
        let shown = ShownTerms(notices: [.retention: retentionNotice.id!])
        func retention() throws -> Date { try database.read { db in try JobApplication.fetchOne(db, key: id)!.retentionUntil } }

        try await database.giveConsent(linkHash: submitted.tokenHash, months: 12, shown: shown, policy: policy, at: now)
        #expect(try retention() == DayFormat.calendar.date(byAdding: .month, value: 12, to: now)!)
        try await database.withdrawConsent(linkHash: submitted.tokenHash, policy: policy, at: now)
        #expect(try retention() == policy.baseEnd(submittedAt: now))

        let hr = try await database.createStaffUser(email: "hr@example.org", name: "Hanne", role: .hr, password: "a long and unusual pass phrase", at: now, actor: .system)
        let maximumDay = DayFormat.string(from: policy.maximumEnd(submittedAt: now))
        let beyond = DayFormat.string(from: policy.maximumEnd(submittedAt: now).addingTimeInterval(86_400))
        await #expect(throws: ConsentError.self) {
            try await database.recordConsent(applicationId: id, lastDay: beyond, evidence: "e-mail", by: hr, policy: policy, at: now)
        }
        try await database.recordConsent(applicationId: id, lastDay: maximumDay, evidence: "e-mail of 3 March", by: hr, policy: policy, at: now)
        #expect(try retention() == policy.maximumEnd(submittedAt: now))
    }

    @Test func aConsentBeyondTheMaximumNamesTheMaximumDayOnTheOrganisationsCalendar() async throws {
        // 23:30 in UTC is already the next day in Copenhagen: so is the maximum, 24 months on.
        let lateEvening = try #require(ISO8601DateFormatter().date(from: "2026-09-21T23:30:00Z"))
        let id = try await database.submit(try await submission(to: try await makeVacancy()), at: lateEvening, policy: policy)
        let hr = try await database.createStaffUser(email: "hr@example.org", name: "Hanne", role: .hr, password: "a long and unusual pass phrase", at: lateEvening, actor: .system)
        do {
            try await database.recordConsent(applicationId: id, lastDay: "2028-09-23", evidence: "e-mail", by: hr, policy: policy, at: lateEvening)
            Issue.record("a consent beyond the maximum was recorded")
        } catch let error as ConsentError {
            #expect(error.description == "Consent can run at most until 2028-09-22.")
        }
        try await database.recordConsent(applicationId: id, lastDay: "2028-09-22", evidence: "e-mail of 3 March", by: hr, policy: policy, at: lateEvening)
    }

    @Test func thePanelDecidesWhoSeesAVacancysApplications() async throws {
        let found = try await makeVacancy()
        let vacancyId = found.vacancy.id!
        let pia = try await database.createStaffUser(email: "pia@example.org", name: "Pia", role: .staff, password: "a long and unusual pass phrase", at: now, actor: .system)
        let hr = try await database.createStaffUser(email: "hr@example.org", name: "Hanne", role: .hr, password: "a long and unusual pass phrase", at: now, actor: .system)
        try workspace.insertSyntheticApplications(vacancyId: vacancyId, count: 3, at: now)

        #expect(try await database.authorize(pia, .viewApplication, vacancyId: vacancyId) == false)
        #expect(try await database.authorize(hr, .viewApplication, vacancyId: vacancyId) == false)
        #expect(try await database.authorize(hr, .managePanel, vacancyId: vacancyId))
        try await database.addPanelMember(vacancyId: vacancyId, staffUserId: pia.id!, at: now, actor: .staff(hr.id!))
        try await database.addPanelMember(vacancyId: vacancyId, staffUserId: pia.id!, at: now, actor: .staff(hr.id!))
        #expect(try await database.panel(vacancyId: vacancyId).map(\.user.email) == ["pia@example.org"])
        #expect(try await database.authorize(pia, .viewApplication, vacancyId: vacancyId))
        #expect(try await database.panelVacancies(for: pia.id!).map(\.applicationCount) == [3])

        try await database.removePanelMember(vacancyId: vacancyId, staffUserId: pia.id!, by: hr, at: now)
        #expect(try await database.authorize(pia, .viewApplication, vacancyId: vacancyId) == false)
        #expect(try await database.panelVacancies(for: pia.id!).isEmpty)
    }

    @Test func theApplicationsListPagesSortsAndSearchesLiterally() async throws {
        let found = try await makeVacancy()
        try workspace.insertSyntheticApplications(vacancyId: found.vacancy.id!, count: 12, at: now)
        let last = try await database.applications(vacancyId: found.vacancy.id!, search: nil, sort: .name, page: 99, pageSize: 5)
        #expect(last.page == 3)
        #expect(last.rows.map(\.name) == ["Applicant 010", "Applicant 011"])
        let newest = try await database.applications(vacancyId: found.vacancy.id!, search: nil, sort: .newest, page: 1, pageSize: 5)
        #expect(newest.rows.first?.name == "Applicant 011")
        #expect(try await database.applications(vacancyId: found.vacancy.id!, search: "cant 00", sort: .name, page: 1, pageSize: 50).total == 10)
        #expect(try await database.applications(vacancyId: found.vacancy.id!, search: "%", sort: .name, page: 1, pageSize: 50).total == 0)
        #expect(try await database.applications(vacancyId: found.vacancy.id!, search: "_", sort: .name, page: 1, pageSize: 50).total == 0)
        func matches(_ text: String) async throws -> [String] {
            try await database.applications(vacancyId: found.vacancy.id!, search: text, sort: .name, page: 1, pageSize: 50).rows.map(\.name)
        }
        // Either field, whatever the case of its letters; never across the two.
        #expect(try await matches("APPLICANT 01") == ["Applicant 010", "Applicant 011"])
        #expect(try await matches("T1@EXAMPLE.com") == ["Applicant 001"])
        #expect(try await matches("011applicant").isEmpty)
        #expect(try await matches("011\u{1F}applicant").isEmpty)
        #expect(try await matches("011\napplicant").isEmpty)
    }

    @Test func aFullPageAndThePanelsHomeTellTheTotalRightAfterApplicationsArriveMoveAndAreErased() async throws {
        let found = try await makeVacancy()
        let other = try await makeVacancy()
        let vacancyId = found.vacancy.id!
        let hr = try await database.createStaffUser(email: "hr@example.org", name: "Hanne", role: .hr, password: "a long and unusual pass phrase", at: now, actor: .system)
        let pia = try await database.createStaffUser(email: "pia@example.org", name: "Pia", role: .staff, password: "a long and unusual pass phrase", at: now, actor: .system)
        for vacancy in [found, other] {
            try await database.addPanelMember(vacancyId: vacancy.vacancy.id!, staffUserId: pia.id!, at: now, actor: .staff(hr.id!))
        }
        // Pages of two, so the totals below come from the counts, not from a short page.
        func total(_ status: JobApplication.Status? = nil) async throws -> Int {
            try await database.applications(vacancyId: vacancyId, search: nil, status: status, sort: .newest, page: 1, pageSize: 2).total
        }
        func home() async throws -> [Int64: Int] {
            Dictionary(uniqueKeysWithValues: try await database.panelVacancies(for: pia.id!).map { ($0.vacancy.id!, $0.applicationCount) })
        }
        #expect(try await home() == [vacancyId: 0, other.vacancy.id!: 0])
        try workspace.insertSyntheticApplications(vacancyId: vacancyId, count: 14, at: now)  // two in each of 7 statuses
        let submitted = try await database.submit(try await submission(to: found), at: now, policy: policy)
        #expect(try await total() == 15)
        #expect(try await total(.received) == 3)
        #expect(try await home() == [vacancyId: 15, other.vacancy.id!: 0])

        try await database.changeStatus(applicationId: submitted, to: .rejected, by: hr, at: now)
        #expect(try await total(.received) == 2)
        #expect(try await total(.rejected) == 3)

        _ = try await database.eraseApplications(.application(submitted), reason: .erasure, actor: .staff(hr.id!), asOf: now, now: now)
        #expect(try await total() == 14)
        #expect(try await total(.rejected) == 2)
        #expect(try await home() == [vacancyId: 14, other.vacancy.id!: 0])
        // The search still counts the rows themselves.
        #expect(try await database.applications(vacancyId: vacancyId, search: "Applicant", sort: .newest, page: 1, pageSize: 2).total == 14)
        #expect(try await database.applications(vacancyId: other.vacancy.id!, search: nil, sort: .newest, page: 1, pageSize: 2).total == 0)
    }

    @Test func aDatabaseFromBeforeTheCountsGetsItsApplicationsCountedWhenItIsUpgraded() throws {
        let queue = try DatabaseQueue()
        try AppDatabase.migrator.migrate(queue, upTo: "v12-searchable-list-index")
        try queue.write { db in
            var vacancy = Vacancy(title: "Archivist", description: "A job.", location: "Here", closesOn: "2027-01-01", international: false, status: .open, createdAt: now)
            try vacancy.insert(db)
            for (i, status) in ["received", "received", "hired"].enumerated() {
                try db.execute(sql: "INSERT INTO application (vacancy_id, token_hash, name, email, status, submitted_at, retention_until) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               arguments: [vacancy.id, SecretToken.generate().hash, "Applicant \(i)", "a\(i)@example.com", status, now, now])
            }
        }
        try AppDatabase.migrator.migrate(queue)
        let counts = try queue.read { db in try Row.fetchAll(db, sql: "SELECT status, n FROM application_count ORDER BY status").map { "\($0["status"] as String) \($0["n"] as Int)" } }
        #expect(counts == ["hired 1", "received 2"])
    }
}

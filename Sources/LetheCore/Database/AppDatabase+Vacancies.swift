import Foundation
import GRDB

extension Vacancy {
    /// Takes the optional facts (employment type, hours, salary, contact) from HR's form.
    mutating func setFacts(from form: VacancyForm.Valid) {
        employmentType = form.employmentType
        hours = form.hours
        salary = form.salary
        contact = form.contact
    }
}

/// Why a change to a vacancy was refused.
public enum VacancyError: Error, Equatable {
    /// Its screening questions cannot change: applicants have answered them.
    case questionsFixed
}

extension AppDatabase {
    /// A vacancy's screening questions, in order.
    public func screeningQuestions(vacancyId: Int64) async throws -> [ScreeningQuestion] {
        try await writer.read { db in try Self.screeningQuestions(db, vacancyId: vacancyId) }
    }

    static func screeningQuestions(_ db: Database, vacancyId: Int64) throws -> [ScreeningQuestion] {
        // A cached statement: every vacancy page and every application reads them.
        try ScreeningQuestion.fetchAll(db.cachedStatement(sql: "SELECT * FROM screening_question WHERE vacancy_id = ? ORDER BY position"), arguments: [vacancyId])
    }

    /// What an application to a vacancy is checked against, in one read (every vacancy page and
    /// every application asks): the screening questions, and the CV the browser `ownerHash`
    /// names keeps for it, if any and not expired.
    public func applicationFormFacts(vacancyId: Int64, ownerHash: Data?, at now: Date) async throws -> ApplicationFormFacts {
        try await writer.read { db in
            ApplicationFormFacts(
                questions: try Self.screeningQuestions(db, vacancyId: vacancyId),
                kept: try ownerHash.flatMap { try Self.keptUpload(db, ownerHash: $0, vacancyId: vacancyId, at: now) }
            )
        }
    }

    /// An application's screening answers with their questions, in the questions' order.
    public func screeningAnswers(applicationId: Int64) async throws -> [(question: ScreeningQuestion, answer: String)] {
        try await writer.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT q.*, a.answer FROM screening_answer a JOIN screening_question q ON q.id = a.question_id
                WHERE a.application_id = ? ORDER BY q.position
                """), arguments: [applicationId]).map { (question: try ScreeningQuestion(row: $0), answer: $0["answer"] as String) }
        }
    }

    static func replaceQuestions(_ db: Database, vacancyId: Int64, with questions: [(kind: ScreeningQuestion.Kind, text: String)]) throws {
        try ScreeningQuestion.filter(ScreeningQuestion.Columns.vacancyId == vacancyId).deleteAll(db)
        for (index, question) in questions.enumerated() {
            var row = ScreeningQuestion(vacancyId: vacancyId, position: index + 1, kind: question.kind, text: question.text)
            try row.insert(db)
        }
    }

    /// Vacancies taking applications at `date`, soonest closing first.
    public func openVacancies(at date: Date) async throws -> [Vacancy] {
        let today = DayFormat.string(from: date)
        return try await writer.read { db in
            try Vacancy
                .filter(Vacancy.Columns.status == Vacancy.Status.open.rawValue && Vacancy.Columns.closesOn >= today)
                .filter(Vacancy.Columns.publishedAt != nil && Vacancy.Columns.archivedAt == nil)
                .order(Vacancy.Columns.closesOn, Vacancy.Columns.title)
                .fetchAll(db)
        }
    }

    /// Every vacancy, archived ones last, then open ones first.
    public func allVacancies() async throws -> [Vacancy] {
        try await writer.read { db in
            try Vacancy.order(Vacancy.Columns.archivedAt != nil, Vacancy.Columns.status, Vacancy.Columns.closesOn.desc).fetchAll(db)
        }
    }

    /// One vacancy with its current transfer destinations, or nil.
    public func vacancy(id: Int64) async throws -> (vacancy: Vacancy, destinations: [TransferDestination])? {
        try await writer.read { db in try Self.vacancy(db, id: id) }
    }

    static func vacancy(_ db: Database, id: Int64) throws -> (vacancy: Vacancy, destinations: [TransferDestination])? {
        // Cached statements: every panel page about a vacancy reads it.
        guard let vacancy = try Vacancy.fetchOne(db.cachedStatement(sql: "SELECT * FROM vacancy WHERE id = ?"), arguments: [id]) else { return nil }
        return (vacancy, try TransferDestination.current(db, vacancyId: id))
    }

    /// Finds a vacancy by its exact title; used to keep demo data idempotent.
    public func vacancy(titled title: String) async throws -> Vacancy? {
        try await writer.read { db in try Vacancy.filter(Vacancy.Columns.title == title).fetchOne(db) }
    }

    /// Creates a vacancy, its transfer destinations and its screening questions in one transaction.
    @discardableResult
    public func createVacancy(
        _ vacancy: Vacancy, destinations: [TransferDestination], questions: [(kind: ScreeningQuestion.Kind, text: String)] = [], actor: AuditActor
    ) async throws -> Vacancy {
        try await writer.write { db in
            var vacancy = vacancy
            try vacancy.insert(db)
            for destination in destinations {
                var destination = destination
                destination.vacancyId = vacancy.id!
                try destination.insert(db)
            }
            try Self.replaceQuestions(db, vacancyId: vacancy.id!, with: questions)
            try AuditLog.append(db, at: vacancy.createdAt, actor: actor, action: "vacancy.created", subjectType: "vacancy", subjectId: vacancy.id)
            return vacancy
        }
    }

    /// Creates a vacancy from HR's validated form, as a draft: only HR sees it until it is
    /// published.
    public func createVacancy(_ form: VacancyForm.Valid, by user: StaffUser, at now: Date) async throws -> Vacancy {
        let destinations = form.destination.map { [TransferDestination(vacancyId: 0, country: $0.country, recipient: $0.recipient, safeguard: $0.safeguard)] } ?? []
        var vacancy = Vacancy(title: form.title, description: form.description, location: form.location, closesOn: form.closesOn, international: form.destination != nil, createdAt: now, draft: true)
        vacancy.setFacts(from: form)
        return try await createVacancy(vacancy, destinations: destinations, questions: form.questions, actor: .staff(user))
    }

    /// Replaces a vacancy's text fields and closing day; its destinations are kept.
    public func updateVacancy(id: Int64, with form: VacancyForm.Valid, by user: StaffUser, at now: Date) async throws {
        try await writer.write { db in
            guard var vacancy = try Vacancy.fetchOne(db, key: id) else { throw NotFound("vacancy") }
            vacancy.title = form.title
            vacancy.description = form.description
            vacancy.location = form.location
            vacancy.closesOn = form.closesOn
            vacancy.setFacts(from: form)
            vacancy.updatedAt = now
            // Questions are fixed once anyone has answered them.
            let current = try ScreeningQuestion.filter(ScreeningQuestion.Columns.vacancyId == id).order(ScreeningQuestion.Columns.position).fetchAll(db)
            if current.map({ "\($0.kind.rawValue) \($0.text)" }) != form.questions.map({ "\($0.kind.rawValue) \($0.text)" }) {
                guard try JobApplication.filter(JobApplication.Columns.vacancyId == id).fetchCount(db) == 0 else { throw VacancyError.questionsFixed }
                try Self.replaceQuestions(db, vacancyId: id, with: form.questions)
            }
            try vacancy.update(db)
            try AuditLog.append(db, at: now, actor: .staff(user), action: "vacancy.updated", subjectType: "vacancy", subjectId: id)
        }
    }

    /// Publishes a draft: from now on applicants see it and may apply.
    public func publishVacancy(id: Int64, by user: StaffUser, at now: Date) async throws {
        try await changeVacancy(id: id, by: user, at: now) { vacancy in
            guard vacancy.publishedAt == nil else { return nil }
            vacancy.publishedAt = now
            return "vacancy.published"
        }
    }

    /// Archives a vacancy that no longer takes applications: it leaves every list and public
    /// page; its applications stay until their retention ends.
    public func archiveVacancy(id: Int64, by user: StaffUser, at now: Date) async throws {
        try await changeVacancy(id: id, by: user, at: now) { vacancy in
            guard vacancy.archivedAt == nil else { return nil }
            vacancy.archivedAt = now
            return "vacancy.archived"
        }
    }

    /// Closes or reopens a vacancy.
    public func setVacancyStatus(id: Int64, to status: Vacancy.Status, by user: StaffUser, at now: Date) async throws {
        try await changeVacancy(id: id, by: user, at: now) { vacancy in
            vacancy.status = status
            return status == .closed ? "vacancy.closed" : "vacancy.reopened"
        }
    }

    /// Changes a vacancy and records the audit event `change` names, in one transaction; when
    /// `change` names none (it is so already), nothing is written. A vacancy gone is ``NotFound``.
    private func changeVacancy(id: Int64, by user: StaffUser, at now: Date, _ change: @escaping @Sendable (inout Vacancy) -> String?) async throws {
        try await writer.write { db in
            guard var vacancy = try Vacancy.fetchOne(db, key: id) else { throw NotFound("vacancy") }
            guard let action = change(&vacancy) else { return }
            vacancy.updatedAt = now
            try vacancy.update(db)
            try AuditLog.append(db, at: now, actor: .staff(user), action: action, subjectType: "vacancy", subjectId: id)
        }
    }
}

/// What an application to a vacancy is checked against besides the vacancy, read together.
public struct ApplicationFormFacts: Sendable {
    /// The vacancy's screening questions, in order.
    public let questions: [ScreeningQuestion]
    /// The CV this browser sent with a refused form, while it is kept.
    public let kept: KeptUpload?
}

import Foundation
import Hummingbird
import LetheCore

/// The hiring panel's pages under `/staff`. Every decision is asked of ``AccessPolicy``; what
/// the user may not see answers 404, is audited, and reveals nothing about whether it exists.
struct StaffController {
    let database: AppDatabase
    let store: DocumentStore
    let renderer: PageRenderer
    let csrf: CSRFProtection
    let sealedText: SealedText
    let options: AppOptions

    static let pageSize = 50
    /// Longest name search accepted.
    static let searchLimit = 200

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("", use: home)
        group.get("vacancies/:id", use: vacancy)
        group.post("vacancies/:id/search", use: search)
        group.get("applications/:id", use: application)
        group.get("applications/:id/documents/:doc", use: download)
        group.post("applications/:id/status", use: changeStatus)
        group.post("applications/:id/assessment", use: assess)
        group.post("applications/:id/references/:ref/checks", use: recordCheck)
        group.post("applications/:id/transfers", use: recordTransfer)
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let rows = try await database.panelVacancies(for: user.id!).map {
            StaffHomeView.Row(id: $0.vacancy.id!, title: $0.vacancy.title, status: $0.vacancy.status.rawValue, closesOn: $0.vacancy.closesOn, applications: $0.applications)
        }
        return renderer.page("staff-home", StaffHomeView(signedIn: [chrome(request, user)], vacancies: rows, hasVacancies: !rows.isEmpty))
    }

    @Sendable func vacancy(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let found = try await authorizedVacancy(context, user, .listApplications)
        let vacancyId = found.id!
        // The search text travels sealed, never as itself: names stay out of URLs and logs.
        let sealedQuery = request.uri.queryParameters.get("q")
        let query = sealedText.open(sealedQuery, at: options.clock.now) ?? ""
        let sort = request.uri.queryParameters.get("sort").flatMap(ApplicationSort.init(rawValue:)) ?? .newest
        let page = request.queryNumber("page", clampedTo: 1...Int(Int32.max)) ?? 1
        let result = try await database.applications(vacancyId: vacancyId, search: query, sort: sort, page: page, pageSize: Self.pageSize)
        try await database.audit("applications.listed", actor: .staff(user.id!), subjectType: "vacancy", subjectId: vacancyId, at: options.clock.now)

        let base = "/staff/vacancies/\(vacancyId)"
        func link(sort: ApplicationSort, page: Int) -> String {
            var items = ["sort=\(sort.rawValue)", "page=\(page)"]
            if !query.isEmpty, let sealedQuery { items.insert("q=\(sealedQuery)", at: 0) }
            return base + "?" + items.joined(separator: "&")
        }
        let first = result.total == 0 ? 0 : (result.page - 1) * Self.pageSize + 1
        let chrome = chrome(request, user)
        let view = StaffVacancyView(
            title: found.title, signedIn: [chrome], csrfToken: chrome.csrfToken, vacancyId: vacancyId, query: query, searchLimit: Self.searchLimit,
            sorts: [(ApplicationSort.newest, "Newest"), (.oldest, "Oldest"), (.name, "Name"), (.status, "Status")].map {
                LinkView(label: $0.1, href: link(sort: $0.0, page: 1), current: $0.0 == sort)
            },
            rows: result.rows.map { .init(id: $0.id, name: $0.name, status: Formatting.status($0.status), submittedAt: Formatting.dateTime($0.submittedAt)) },
            hasRows: !result.rows.isEmpty,
            summary: result.total == 0 ? "No applications\(query.isEmpty ? "" : " match \"\(query)\"")." : "Applications \(first)–\(first + result.rows.count - 1) of \(result.total)\(query.isEmpty ? "" : " matching \"\(query)\"").",
            pages: Self.pageWindow(current: result.page, count: result.pageCount).map { LinkView(label: "\($0)", href: link(sort: sort, page: $0), current: $0 == result.page) },
            hasPages: result.pageCount > 1
        )
        return renderer.page("staff-vacancy", view)
    }

    /// `POST /staff/vacancies/<id>/search` (`q`): the list again, with the search sealed into
    /// its URL; an empty search shows every application.
    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let found = try await authorizedVacancy(context, user, .listApplications)
        let query = String((form["q"] ?? "").prefix(Self.searchLimit))
        let base = "/staff/vacancies/\(found.id!)"
        return .redirect(to: query.isEmpty ? base : base + "?q=" + sealedText.seal(query, at: options.clock.now), type: .normal)
    }

    /// The page numbers the pager links to: the first, the last, and three either side of the
    /// current, which must lie in 1...count.
    static func pageWindow(current: Int, count: Int) -> [Int] {
        guard count > 1 else { return [] }
        let current = min(max(1, current), count)
        return Array(Set([1, count] + (max(1, current - 3)...min(count, current + 3)))).sorted()
    }

    @Sendable func application(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let (applicationId, _) = try await authorizedApplication(context, user, .viewApplication)
        let notice: String? = switch request.uri.queryParameters.get("saved") {
        case "status": "The status was changed."
        case "assessment": "Your assessment was saved."
        case "check": "The reference check was recorded."
        case "transfer": "The transfer was recorded."
        default: nil
        }
        return try await applicationPage(request, user: user, applicationId: applicationId, notice: notice)
    }

    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let (applicationId, _) = try await authorizedApplication(context, user, .downloadDocument)
        guard let documentId = context.parameters.get("doc", as: Int64.self),
              let document = try await database.document(id: documentId, applicationId: applicationId)
        else { throw try await denied(user, subject: "document", id: context.parameters.get("doc", as: Int64.self), action: .downloadDocument) }
        if context.isHead { return DocumentResponse.head(document) }
        try await database.audit("document.downloaded", actor: .staff(user.id!), subjectType: "document", subjectId: documentId, detail: "application=\(applicationId)", at: options.clock.now)
        return try DocumentResponse.make(document, store: store)
    }

    @Sendable func changeStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let (applicationId, _) = try await authorizedApplication(context, user, .changeStatus)
        guard let status = form["status"].flatMap(JobApplication.Status.init(rawValue:)) else {
            return try await applicationPage(request, user: user, applicationId: applicationId, formError: "Choose one of the listed statuses.", status: .unprocessableContent)
        }
        try await database.changeStatus(applicationId: applicationId, to: status, by: user, at: options.clock.now)
        return Response(status: .seeOther, headers: [.location: "/staff/applications/\(applicationId)?saved=status"])
    }

    @Sendable func assess(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let (applicationId, _) = try await authorizedApplication(context, user, .assess)
        let scores = ["competencies", "qualifications", "experience"].map { BoundedNumber.parse(form[$0], in: 1...5) }
        let notes = form["notes"] ?? ""
        guard scores.allSatisfy({ $0.map { (1...5).contains($0) } == true }), notes.count <= 10_000 else {
            let message = notes.count > 10_000 ? "The notes are too long: at most 10,000 characters." : "Give each of competencies, qualifications and experience a score from 1 to 5."
            return try await applicationPage(request, user: user, applicationId: applicationId, formError: message, status: .unprocessableContent)
        }
        try await database.saveAssessment(applicationId: applicationId, by: user, competencies: scores[0]!, qualifications: scores[1]!, experience: scores[2]!, notes: notes, at: options.clock.now)
        return Response(status: .seeOther, headers: [.location: "/staff/applications/\(applicationId)?saved=assessment"])
    }

    @Sendable func recordCheck(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let (applicationId, _) = try await authorizedApplication(context, user, .recordCheck)
        guard let referenceId = context.parameters.get("ref", as: Int64.self) else { throw HTTPError(.notFound) }
        let contactedOn = form["contacted_on"] ?? ""
        let summary = form["summary"] ?? ""
        guard isPastDay(contactedOn), !summary.isEmpty, summary.count <= 5_000 else {
            return try await applicationPage(request, user: user, applicationId: applicationId, formError: "Give the day of the contact (not in the future) and a summary of at most 5,000 characters.", status: .unprocessableContent)
        }
        return try await recording(request, user: user, applicationId: applicationId, saved: "check") {
            try await database.recordReferenceCheck(applicationId: applicationId, referenceId: referenceId, by: user, contactedOn: contactedOn, summary: summary, at: options.clock.now)
        }
    }

    @Sendable func recordTransfer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = try await csrf.verifiedForm(request, context)
        let (applicationId, _) = try await authorizedApplication(context, user, .recordCheck)
        let sharedOn = form["shared_on"] ?? ""
        let what = form["what"] ?? ""
        guard let destinationId = form["destination_id"].flatMap({ Int64($0) }), isPastDay(sharedOn), !what.isEmpty, what.count <= 1_000 else {
            return try await applicationPage(request, user: user, applicationId: applicationId, formError: "Choose the partner, the day it was shared (not in the future) and what was shared.", status: .unprocessableContent)
        }
        return try await recording(request, user: user, applicationId: applicationId, saved: "transfer") {
            try await database.recordTransfer(applicationId: applicationId, destinationId: destinationId, what: what, sharedOn: sharedOn, by: user, at: options.clock.now)
        }
    }

    /// Whether `day` is a real `YYYY-MM-DD` date, today or earlier.
    private func isPastDay(_ day: String) -> Bool {
        DayFormat.date(from: day) != nil && day <= DayFormat.string(from: options.clock.now)
    }

    /// Runs a recording the core may refuse: 404 when its subject is gone, 409 with the reason
    /// on the application page otherwise, and back to the page with a notice when it is stored.
    private func recording(_ request: Request, user: StaffUser, applicationId: Int64, saved: String, _ store: () async throws -> Void) async throws -> Response {
        do {
            try await store()
        } catch let refused as RecordingRefused {
            return try await applicationPage(request, user: user, applicationId: applicationId, formError: refused.description, status: .conflict)
        }
        return Response(status: .seeOther, headers: [.location: "/staff/applications/\(applicationId)?saved=\(saved)"])
    }

    private func applicationPage(_ request: Request, user: StaffUser, applicationId: Int64, formError: String? = nil, notice: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let detail = try await database.applicationDetail(id: applicationId) else { throw HTTPError(.notFound) }
        try await database.audit("application.viewed", actor: .staff(user.id!), subjectType: "application", subjectId: applicationId, at: options.clock.now)
        return renderer.page("staff-application", StaffApplicationView(detail: detail, user: user, chrome: chrome(request, user), now: options.clock.now, formError: formError, notice: notice), status: status)
    }

    /// The vacancy of the path, if the policy allows `action` on it; otherwise 404, audited.
    private func authorizedVacancy(_ context: AppRequestContext, _ user: StaffUser, _ action: AccessPolicy.Action) async throws -> Vacancy {
        let id = context.parameters.get("id", as: Int64.self)
        guard let id, let found = try await database.vacancy(id: id), try await database.authorize(user, action, vacancyId: id) else {
            throw try await denied(user, subject: "vacancy", id: id, action: action)
        }
        return found.vacancy
    }

    /// The application id of the path and its vacancy, if the policy allows `action`; otherwise 404, audited.
    private func authorizedApplication(_ context: AppRequestContext, _ user: StaffUser, _ action: AccessPolicy.Action) async throws -> (Int64, Int64) {
        let id = context.parameters.get("id", as: Int64.self)
        guard let id, let vacancyId = try await database.vacancyId(ofApplication: id),
              try await database.authorize(user, action, vacancyId: vacancyId)
        else { throw try await denied(user, subject: "application", id: id, action: action) }
        return (id, vacancyId)
    }

    private func denied(_ user: StaffUser, subject: String, id: Int64?, action: AccessPolicy.Action) async throws -> HTTPError {
        try await database.audit("access.denied", actor: .staff(user.id!), subjectType: subject, subjectId: id, detail: "action=\(action.rawValue)", at: options.clock.now)
        return HTTPError(.notFound)
    }

    func chrome(_ request: Request, _ user: StaffUser) -> SignedInChrome {
        SignedInChrome(name: user.name, isHR: AccessPolicy.mayAdminister(user), csrfToken: csrf.issue(for: request).token)
    }
}

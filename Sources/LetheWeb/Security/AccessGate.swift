import Foundation
import Hummingbird
import LetheCore

/// The web's side of ``AccessPolicy``: finds what a path names and asks the policy, with the
/// facts read now. Whatever the user may not see answers 404, whether or not it exists, and is
/// recorded once, by ``AppDatabase/recordDenial(of:_:subjectType:subjectId:at:)``.
struct AccessGate {
    let database: AppDatabase
    let clock: WallClock

    /// The vacancy of the path's `id`, if the policy allows `action` on it.
    func vacancy(_ context: AppRequestContext, _ action: AccessPolicy.Action) async throws -> (id: Int64, vacancy: Vacancy, destinations: [TransferDestination]) {
        let user = try context.requireUser()
        let id = context.parameters.get("id", as: Int64.self)
        guard let id, let found = try await database.vacancyAccess(user, vacancyId: id), AccessPolicy.permits(action, found.facts) else {
            throw try await denied(user, action.rawValue, subjectType: "vacancy", id: id)
        }
        return (id, found.vacancy, found.destinations)
    }

    /// The application id of the path's `id`, if the policy allows `action` on it (through its
    /// vacancy's panel, or a talent-pool proposal's).
    func application(_ context: AppRequestContext, _ action: AccessPolicy.Action) async throws -> Int64 {
        try await applicationFacts(context, action).id
    }

    /// The same, with the facts the policy decided on, for asking it about other actions too.
    func applicationFacts(_ context: AppRequestContext, _ action: AccessPolicy.Action) async throws -> (id: Int64, facts: AccessPolicy.Facts) {
        let user = try context.requireUser()
        let id = context.parameters.get("id", as: Int64.self)
        guard let id, let facts = try await database.accessFacts(user, applicationId: id, at: clock.now), AccessPolicy.permits(action, facts)
        else { throw try await denied(user, action.rawValue, subjectType: "application", id: id) }
        return (id, facts)
    }

    /// The document `doc` of the path's application `id`, if the policy allows `action` on the
    /// application; a document of another application is refused as one that does not exist.
    func document(_ context: AppRequestContext, _ action: AccessPolicy.Action) async throws -> (applicationId: Int64, document: Document) {
        let user = try context.requireUser()
        let id = context.parameters.get("id", as: Int64.self)
        let documentId = context.parameters.get("doc", as: Int64.self)
        guard let id, let found = try await database.documentAccess(user, applicationId: id, documentId: documentId, at: clock.now), AccessPolicy.permits(action, found.facts)
        else { throw try await denied(user, action.rawValue, subjectType: "application", id: id) }
        guard let document = found.document else { throw try await denied(user, action.rawValue, subjectType: "document", id: documentId) }
        return (id, document)
    }

    /// Records a refusal and returns the 404 to throw.
    func denied(_ user: StaffUser, _ action: String, subjectType: String, id: Int64?) async throws -> HTTPError {
        try await database.recordDenial(of: user, action, subjectType: subjectType, subjectId: id, at: clock.now)
        return HTTPError(.notFound)
    }
}

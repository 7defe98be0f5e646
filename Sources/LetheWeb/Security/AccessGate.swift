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
        let allowed = try await permitted(context, action, subjectType: "vacancy") { user, id in
            try await database.vacancyAccess(user, vacancyId: id).map { ($0.facts, $0) }
        }
        return (allowed.id, allowed.found.vacancy, allowed.found.destinations)
    }

    /// The application id of the path's `id`, if the policy allows `action` on it (through its
    /// vacancy's panel, or a talent-pool proposal's).
    func application(_ context: AppRequestContext, _ action: AccessPolicy.Action) async throws -> Int64 {
        try await applicationFacts(context, action).id
    }

    /// The same, with the facts the policy decided on, for asking it about other actions too.
    func applicationFacts(_ context: AppRequestContext, _ action: AccessPolicy.Action) async throws -> (id: Int64, facts: AccessPolicy.Facts) {
        let allowed = try await permitted(context, action, subjectType: "application") { user, id in
            try await database.accessFacts(user, applicationId: id, at: clock.now).map { ($0, ()) }
        }
        return (allowed.id, allowed.facts)
    }

    /// The document `doc` of the path's application `id`, if the policy allows `action` on the
    /// application; a document of another application is refused as one that does not exist.
    func document(_ context: AppRequestContext, _ action: AccessPolicy.Action) async throws -> (applicationId: Int64, document: Document) {
        let documentId = context.parameters.get("doc", as: Int64.self)
        let allowed = try await permitted(context, action, subjectType: "application") { user, id in
            try await database.documentAccess(user, applicationId: id, documentId: documentId, at: clock.now).map { ($0.facts, $0.document) }
        }
        guard let document = allowed.found else { throw try await denied(allowed.user, action.rawValue, subjectType: "document", id: documentId) }
        return (allowed.id, document)
    }

    /// The one shape of every check: the path's `id`, what `read` finds for it with the facts,
    /// and the policy's answer on those facts. Nothing found, or a refusal, is recorded once as
    /// a denial of `subjectType` and answers 404.
    private func permitted<Found>(
        _ context: AppRequestContext, _ action: AccessPolicy.Action, subjectType: String,
        read: (StaffUser, Int64) async throws -> (facts: AccessPolicy.Facts, found: Found)?
    ) async throws -> (user: StaffUser, id: Int64, facts: AccessPolicy.Facts, found: Found) {
        let user = try context.requireUser()
        let id = context.parameters.get("id", as: Int64.self)
        guard let id, let read = try await read(user, id), AccessPolicy.permits(action, read.facts) else {
            throw try await denied(user, action.rawValue, subjectType: subjectType, id: id)
        }
        return (user, id, read.facts, read.found)
    }

    /// Records a refusal and returns the 404 to throw.
    func denied(_ user: StaffUser, _ action: String, subjectType: String, id: Int64?) async throws -> HTTPError {
        try await database.recordDenial(of: user, action, subjectType: subjectType, subjectId: id, at: clock.now)
        return HTTPError(.notFound)
    }
}

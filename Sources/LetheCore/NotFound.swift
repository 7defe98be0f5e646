/// What a request names does not exist, or no longer does (erased meanwhile, by another request
/// or the purge). Thrown by every read and write of ``AppDatabase`` that needs a row it cannot
/// find; the web layer answers 404 for it in one place, whatever the route.
public struct NotFound: Error, Equatable, Sendable {
    /// What was looked for, e.g. `application`; never an id or a name.
    public let subject: String

    /// Names what was not found.
    public init(_ subject: String) { self.subject = subject }
}

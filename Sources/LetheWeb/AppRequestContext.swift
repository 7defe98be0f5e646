import Hummingbird
import LetheCore
import NIOCore

/// The request context of every route: the core storage, the caller's address, and what the
/// middleware establishes for the handlers (the CSRF token, the signed-in user).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's address, for throttling; never logged.
    public let remoteAddress: SocketAddress?
    /// The connection's event loop, for timers that must go away when cancelled.
    public let eventLoop: any EventLoop
    /// The token every form of the response carries, set by ``CSRFMiddleware``.
    public var csrfToken = ""
    /// The signed-in staff member, set by ``StaffSessionMiddleware``.
    public var user: StaffUser?
    /// Whether the client sent HEAD (answered as GET, see ``HeadAsGetResponder``): nothing is
    /// downloaded, so nothing is audited as a download.
    public var isHead = false
    /// Where the language switch of the response returns to, set by ``LanguageMiddleware``.
    public var returnPath = "/"

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.eventLoop = source.channel.eventLoop
    }

    /// Bodies are streamed or collected with explicit limits by each controller.
    public var maxUploadSize: Int { 64 * 1024 }

    /// The signed-in user; the session middleware guarantees one on staff routes.
    func requireUser() throws -> StaffUser {
        guard let user else { throw HTTPError(.unauthorized) }
        return user
    }
}

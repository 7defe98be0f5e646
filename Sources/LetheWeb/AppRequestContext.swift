import Hummingbird
import LetheCore
import NIOCore

/// The request context of every route: the core storage, the caller's address and, on staff
/// pages, the signed-in user.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's address, for throttling; never logged.
    public let remoteAddress: SocketAddress?
    /// The signed-in staff member, set by ``StaffSessionMiddleware``.
    public var user: StaffUser?
    /// Whether the client sent HEAD (answered as GET, see ``HeadAsGetResponder``): nothing is
    /// downloaded, so nothing is audited as a download.
    public var isHead = false

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Bodies are streamed or collected with explicit limits by each controller.
    public var maxUploadSize: Int { 64 * 1024 }

    /// The signed-in user; the session middleware guarantees one on staff routes.
    func requireUser() throws -> StaffUser {
        guard let user else { throw HTTPError(.unauthorized) }
        return user
    }
}

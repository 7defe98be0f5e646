import Hummingbird
import NIOCore

/// The request context of every route: the core storage plus the caller's address.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's address, for throttling; never logged.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Bodies are streamed or collected with explicit limits by each controller.
    public var maxUploadSize: Int { 64 * 1024 }
}

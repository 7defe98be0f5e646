import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The address a request came from, for throttling only (never logged).
///
/// Behind a reverse proxy every request comes from the proxy; only when the peer is the proxy
/// named by `--trusted-proxy` is the last address of `X-Forwarded-For` (the one that proxy
/// appended) taken instead. Any other peer's `X-Forwarded-For` is ignored, so a client cannot
/// pick its own address.
enum ClientAddress {
    static func of(_ request: Request, peer: SocketAddress?, trustedProxy: String?) -> String {
        let peerAddress = peer?.ipAddress ?? "unknown"
        guard let trustedProxy, peerAddress == trustedProxy,
              let forwarded = request.headers[values: .xForwardedFor].last,
              let client = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
              !client.isEmpty, client.utf8.count <= 64, (try? SocketAddress(ipAddress: client, port: 0)) != nil
        else { return peerAddress }
        return client
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}

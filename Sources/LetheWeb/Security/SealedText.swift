@preconcurrency import Crypto
import Foundation
import LetheCore

/// Keeps what someone typed into a search out of URLs: the text travels sealed (AES-GCM with a
/// server secret, with an expiry inside), so proxy logs and browser history hold ciphertext,
/// while links for paging and sorting still work.
struct SealedText: Sendable {
    let key: SymmetricKey
    /// How long a sealed search stays readable (a signed-in day at most).
    var lifetime: TimeInterval = 12 * 60 * 60

    /// The URL-safe sealed form of `text`.
    func seal(_ text: String, at now: Date) -> String {
        let expiry = Int64(now.addingTimeInterval(lifetime).timeIntervalSince1970)
        let plaintext = Data("\(expiry)\n\(text)".utf8)
        let box = try! AES.GCM.seal(plaintext, using: key)  // only fails for a malformed nonce, which we do not pass
        return box.combined!.base64URLEncoded
    }

    /// The text, or nil when the value was not sealed here, was altered or has expired.
    func open(_ sealed: String?, at now: Date) -> String? {
        guard let sealed, sealed.utf8.count <= 2048, let data = Data(base64URLEncoded: sealed),
              let box = try? AES.GCM.SealedBox(combined: data),
              let plaintext = try? AES.GCM.open(box, using: key),
              let text = String(data: plaintext, encoding: .utf8),
              let newline = text.firstIndex(of: "\n"), let expiry = Int64(text[..<newline]),
              Double(expiry) > now.timeIntervalSince1970
        else { return nil }
        return String(text[text.index(after: newline)...])
    }
}

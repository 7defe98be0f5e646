import Crypto
import Foundation

/// The on-disk format of an encrypted document.
///
/// A 16-byte header (`LETHEDOC`, format version, chunk size) is followed by chunks of
/// `chunkSize` plaintext bytes (the last one shorter, possibly empty), each sealed with
/// AES-256-GCM. The nonce is the chunk's counter plus a last-chunk flag and the header is bound
/// in as associated data, so a reordered, dropped, truncated or extended file fails to open.
/// Every document has its own random key, so deterministic nonces never repeat under one key.
enum DocumentCipher {
    static let magic = Array("LETHEDOC".utf8)
    static let formatVersion: UInt32 = 1
    static let chunkSize = 64 * 1024
    static let tagSize = 16
    static let nonceSize = 12
    static let headerSize = 16

    static var header: [UInt8] {
        var bytes = magic
        withUnsafeBytes(of: formatVersion.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(chunkSize).bigEndian) { bytes.append(contentsOf: $0) }
        return bytes
    }

    static func nonce(counter: UInt64, isLast: Bool) -> AES.GCM.Nonce {
        var bytes = [UInt8](repeating: 0, count: nonceSize)
        withUnsafeBytes(of: counter.bigEndian) { bytes.replaceSubrange(0..<8, with: $0) }
        bytes[11] = isLast ? 1 : 0
        return try! AES.GCM.Nonce(data: bytes)
    }

    /// Seals one chunk; the result is ciphertext followed by the tag.
    static func seal(_ plaintext: some DataProtocol, key: SymmetricKey, counter: UInt64, isLast: Bool) throws -> Data {
        let box = try AES.GCM.seal(plaintext, using: key, nonce: nonce(counter: counter, isLast: isLast), authenticating: header)
        // The box holds nonce, ciphertext and tag in one buffer (combined, as a 12-byte nonce
        // always is): the file takes the part after the nonce, without a copy.
        guard let combined = box.combined else { return box.ciphertext + box.tag }
        return combined.dropFirst(nonceSize)
    }

    /// Opens one sealed chunk, or throws when it is not exactly what was sealed at that place.
    static func open(_ sealed: [UInt8], key: SymmetricKey, counter: UInt64, isLast: Bool) throws -> Data {
        guard sealed.count >= tagSize else { throw DocumentStoreError.corrupt("chunk \(counter) is cut short") }
        do {
            let box = try AES.GCM.SealedBox(
                nonce: nonce(counter: counter, isLast: isLast),
                ciphertext: sealed[..<(sealed.count - tagSize)],
                tag: sealed[(sealed.count - tagSize)...]
            )
            return try AES.GCM.open(box, using: key, authenticating: header)
        } catch {
            throw DocumentStoreError.corrupt("chunk \(counter) failed authentication")
        }
    }
}

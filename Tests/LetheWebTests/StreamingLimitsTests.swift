import Foundation
import HummingbirdTesting
import LetheCore
import LetheTestSupport
import Synchronization
import Testing

@Suite struct StreamingLimitsTests {
    @Test func fiftyMebibyteUploadIsRefusedWith413BeforeTheServerReadsIt() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        let before = try harness.workspace.snapshot()
        try await harness.withClient(.live) { client in
            let port = try #require(client.port)
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            let result = try await onThread { try Self.streamUpload(port: port, session: session, vacancyId: vacancy.id!, fileBytes: 50 * 1024 * 1024) }
            #expect(result.statusLine.hasPrefix("HTTP/1.1 413"), "got \(result.statusLine)")
            // The answer came while the client was still sending: the server did not wait for
            // (let alone keep) the 50 MiB. Socket buffers account for the slack above 10 MiB.
            #expect(result.sentWhenAnswered < 30 * 1024 * 1024, "sent \(result.sentWhenAnswered) bytes before the answer")
        }
        #expect(try harness.workspace.snapshot() == before)
    }

    /// The request line, headers and multipart body of a complete application.
    static func rawApplication(session: FormSession, vacancyId: Int64, cv: Data, chunked: Bool, claimedLength: Int? = nil) -> [UInt8] {
        var body = MultipartBody.application(session, cv: cv).encoded()
        let bytes = body.readBytes(length: body.readableBytes)!
        var head = "POST /jobs/\(vacancyId)/apply HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: \(session.cookie)\r\nContent-Type: \(MultipartBody().contentType)\r\n"
        if chunked {
            head += "Transfer-Encoding: chunked\r\n\r\n"
            var out = Array(head.utf8)
            var offset = 0
            while offset < bytes.count {
                let size = min(1000, bytes.count - offset)
                out += Array("\(String(size, radix: 16))\r\n".utf8) + bytes[offset..<(offset + size)] + Array("\r\n".utf8)
                offset += size
            }
            return out + Array("0\r\n\r\n".utf8)
        }
        head += "Content-Length: \(claimedLength ?? bytes.count)\r\n\r\n"
        return Array(head.utf8) + bytes
    }

    @Test func chunkedApplicationIsAcceptedAndChunkedOversizeIsRefused() async throws {
        let harness = try await WebHarness { $0.maxUploadBytes = 1024 * 1024 }
        let vacancy = try await harness.makeVacancy()
        let pdf = try Fixtures.data("cv.pdf")
        try await harness.withClient(.live) { client in
            let port = try #require(client.port)
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            let small = Self.rawApplication(session: session, vacancyId: vacancy.id!, cv: pdf, chunked: true)
            let large = Self.rawApplication(session: session, vacancyId: vacancy.id!, cv: pdf + Data(count: 2 * 1024 * 1024), chunked: true)
            let answers = try await onThread { () -> [String] in
                try [small, large].map { request in
                    let connection = try RawConnection(port: port)
                    connection.setReadTimeout(seconds: 30)
                    connection.send(request)
                    let (bytes, _) = connection.readAvailable(upTo: 64)
                    return String(decoding: bytes.prefix { $0 != 0x0D }, as: UTF8.self)
                }
            }
            #expect(answers[0].hasPrefix("HTTP/1.1 303"), "\(answers[0])")
            #expect(answers[1].hasPrefix("HTTP/1.1 413"), "\(answers[1])")
        }
        #expect(try harness.database.counts().applications == 1)
        #expect(try harness.workspace.uploadedFiles().count == 1)
    }

    @Test func bodyShorterThanItsContentLengthStoresNothing() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy()
        let pdf = try Fixtures.data("cv.pdf")
        let before = try harness.workspace.snapshot()
        try await harness.withClient(.live) { client in
            let port = try #require(client.port)
            let session = try await FormSession.open(vacancy: vacancy.id!, with: client)
            var request = Self.rawApplication(session: session, vacancyId: vacancy.id!, cv: pdf + Data(count: 200_000), chunked: false)
            let headerEnd = request.count - (MultipartBody.application(session, cv: pdf + Data(count: 200_000)).encoded().readableBytes)
            request = Self.rawApplication(session: session, vacancyId: vacancy.id!, cv: pdf + Data(count: 200_000), chunked: false, claimedLength: request.count - headerEnd + 50_000)
            let sent = request
            try await onThread {
                let connection = try RawConnection(port: port)
                connection.send(sent)
                Thread.sleep(forTimeInterval: 0.3)
            } // the connection closes here, 50,000 bytes short
            for _ in 0..<50 where try harness.workspace.uploadedFiles().count > 0 {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        #expect(try harness.workspace.snapshot() == before)
    }

    @Test func connectionThatSendsNothingIsClosed() async throws {
        let harness = try await WebHarness { $0.idleTimeoutSeconds = 1 }
        try await harness.withClient(.live) { client in
            let port = try #require(client.port)
            let closed = try await onThread { () -> Bool in
                let connection = try RawConnection(port: port)
                connection.setReadTimeout(seconds: 15)
                return connection.readAvailable().closedByPeer
            }
            #expect(closed)
        }
    }

    struct UploadResult: Sendable {
        let statusLine: String
        let sentWhenAnswered: Int
    }

    /// Streams a multipart application whose CV has `fileBytes` bytes, generated on the fly,
    /// while another thread waits for the server's answer.
    static func streamUpload(port: Int, session: FormSession, vacancyId: Int64, fileBytes: Int) throws -> UploadResult {
        let connection = try RawConnection(port: port)
        connection.setReadTimeout(seconds: 60)
        let boundary = "----LetheStreamBoundary"
        let head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n\(session.token)\r\n"
            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"cv\"; filename=\"cv.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n"
        let tail = "\r\n--\(boundary)--\r\n"
        let total = head.utf8.count + fileBytes + tail.utf8.count
        let request = "POST /jobs/\(vacancyId)/apply HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: \(session.cookie)\r\n"
            + "Content-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: \(total)\r\n\r\n" + head
        let sent = Atomic<Int>(0)
        let answered = Atomic<Int>(-1)
        let sender = Thread {
            guard connection.send(Array(request.utf8)) else { return }
            let chunk = [UInt8](repeating: 0x20, count: 64 * 1024)
            var remaining = fileBytes
            while remaining > 0, answered.load(ordering: .relaxed) < 0 {
                let piece = min(remaining, chunk.count)
                guard connection.send(Array(chunk[0..<piece])) else { return }
                remaining -= piece
                sent.add(piece, ordering: .relaxed)
            }
            connection.send(Array(tail.utf8))
        }
        sender.start()
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !response.contains(0x0A) {
            let n = buffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress!, $0.count, 0) }
            if n <= 0 { break }
            response.append(contentsOf: buffer[0..<n])
            if answered.load(ordering: .relaxed) < 0 { answered.store(sent.load(ordering: .relaxed), ordering: .relaxed) }
        }
        let statusLine = String(decoding: response.prefix { $0 != 0x0D }, as: UTF8.self)
        while !sender.isFinished { usleep(10_000) }
        return UploadResult(statusLine: statusLine, sentWhenAnswered: max(answered.load(ordering: .relaxed), 0))
    }
}

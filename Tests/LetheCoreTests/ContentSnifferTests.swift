import Foundation
import Testing
import LetheCore
import LetheTestSupport

@Suite struct ContentSnifferTests {
    let sniffer: ContentSniffer
    init() throws { sniffer = try ContentSniffer() }

    private func verdict(_ data: Data, named name: String) -> ContentSniffer.Verdict {
        sniffer.judge(prefix: Array(data.prefix(ContentSniffer.sniffLength)), fileName: name)
    }

    private func acceptedType(_ verdict: ContentSniffer.Verdict) -> String? {
        if case .accepted(let type) = verdict { return type.mediaType }
        return nil
    }

    @Test(arguments: [
        ("cv.pdf", "application/pdf"),
        ("cv.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("cv.odt", "application/vnd.oasis.opendocument.text"),
        ("cv.rtf", "text/rtf"),
        ("cv.txt", "text/plain"),
    ])
    func realDocumentsAreAccepted(file: String, mediaType: String) throws {
        #expect(acceptedType(verdict(try Fixtures.data(file), named: file)) == mediaType)
    }

    @Test func extensionIsMatchedCaseInsensitively() throws {
        #expect(acceptedType(verdict(try Fixtures.data("cv.pdf"), named: "My CV.PDF")) == "application/pdf")
    }

    @Test func elfExecutableRenamedToPdfIsRejected() throws {
        guard case .notAllowed = verdict(try Fixtures.executable(), named: "cv.pdf") else {
            Issue.record("an ELF named cv.pdf was not rejected")
            return
        }
    }

    @Test func shellScriptRenamedToPdfIsRejected() throws {
        guard case .notAllowed(let detected) = verdict(try Fixtures.data("script.sh"), named: "cv.pdf") else {
            Issue.record("a shell script named cv.pdf was not rejected")
            return
        }
        #expect(detected.contains("shellscript"))
    }

    @Test func htmlNamedPdfIsRejected() throws {
        guard case .notAllowed(let detected) = verdict(try Fixtures.data("page.html"), named: "cv.pdf") else {
            Issue.record("an HTML page named cv.pdf was not rejected")
            return
        }
        #expect(detected == "text/html")
    }

    // The sniffer's quick reading (without libmagic's text-encoding analysis) calls this page
    // plain text; only the full reading sees HTML, so a text verdict must never come from it.
    @Test func htmlNamedTxtIsRejected() throws {
        guard case .notAllowed(let detected) = verdict(try Fixtures.data("page.html"), named: "cv.txt") else {
            Issue.record("an HTML page named cv.txt was accepted")
            return
        }
        #expect(detected == "text/html")
    }

    @Test(arguments: [String.Encoding.utf8, .isoLatin1])
    func danishPlainTextIsAcceptedInEitherEncoding(encoding: String.Encoding) throws {
        let text = try #require("Ansøgning fra Søren Ærø\nErfaring: 5 år som sygeplejerske\n".data(using: encoding))
        #expect(acceptedType(verdict(text, named: "cv.txt")) == "text/plain")
    }

    @Test func pdfNamedDocxIsAMismatch() throws {
        guard case .extensionMismatch(let detected) = verdict(try Fixtures.data("cv.pdf"), named: "cv.docx") else {
            Issue.record("a PDF named cv.docx was accepted")
            return
        }
        #expect(detected.mediaType == "application/pdf")
    }

    @Test func emptyFileIsRejected() {
        #expect(verdict(Data(), named: "cv.pdf") == .empty)
    }

    @Test func fileWithoutExtensionIsRejected() throws {
        guard case .extensionMismatch = verdict(try Fixtures.data("cv.pdf"), named: "cv") else {
            Issue.record("a PDF without extension was accepted")
            return
        }
    }

    @Test func concurrentCallersEachGetTheirOwnAnswer() async throws {
        let pdf = try Fixtures.data("cv.pdf"), html = try Fixtures.data("page.html")
        let sniffer = self.sniffer
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<64 {
                group.addTask {
                    let isPDF = i % 2 == 0
                    let type = sniffer.mediaType(of: Array(isPDF ? pdf : html))
                    return type == (isPDF ? "application/pdf" : "text/html")
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }
}

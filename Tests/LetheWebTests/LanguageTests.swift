import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LetheCore
import LetheTestSupport
import Testing
@testable import LetheWeb

@Suite struct CatalogueTests {
    @Test func aTextFillsEachPlaceholderOnceAndLeavesTheRestAsWritten() throws {
        let json = #"{"greet": "Dear {name}, your {thing} is {state}", "brace": "a { b {name", "da": "Kære {name}, din ansøgning 🎉 er {state}."}"#
        let speaker = Localizer(catalogue: try Catalogue(language: .en, json: Data(json.utf8)), timeZone: TimeZone(identifier: "UTC")!)
        // A value that looks like a placeholder is never filled in itself: names come from applicants.
        #expect(speaker.text("greet", ["name": "{state}", "state": "kept"]) == "Dear {state}, your {thing} is kept")
        #expect(speaker.text("brace", ["name": "Ada"]) == "a { b {name")
        #expect(speaker.text("da", ["name": "Søren Æbelø", "state": "modtaget"]) == "Kære Søren Æbelø, din ansøgning 🎉 er modtaget.")
        #expect(speaker.text("missing.key", ["name": "Ada"]) == "missing.key")
    }

    static let templates = WebHarness.repositoryRoot.appendingPathComponent("templates").path

    @Test func bothCataloguesHaveEveryKeyWithTheSamePlaceholders() throws {
        let catalogues = try Catalogue.load(templates: Self.templates)
        let english = try #require(catalogues[.en]), danish = try #require(catalogues[.da])
        #expect(Set(english.strings.keys).subtracting(danish.strings.keys).sorted() == [], "missing in da.json")
        #expect(Set(danish.strings.keys).subtracting(english.strings.keys).sorted() == [], "missing in en.json")
        for (key, text) in english.strings {
            #expect(Catalogue.placeholders(text) == Catalogue.placeholders(danish.strings[key] ?? ""), "\(key): the placeholders differ")
            #expect(!text.isEmpty && !(danish.strings[key] ?? "").isEmpty, "\(key) is empty")
        }
    }

    @Test func everyKeyTheTemplatesAndTheCodeUseExists() throws {
        let english = try #require(try Catalogue.load(templates: Self.templates)[.en])
        var used = Set<String>()
        let templateFiles = FileManager.default.enumerator(atPath: Self.templates)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".mustache") }
        for file in templateFiles {
            let text = try String(contentsOfFile: Self.templates + "/" + file, encoding: .utf8)
            for match in text.matches(of: /\{\{t\.([A-Za-z0-9_.]+)\}\}/) { used.insert(String(match.1)) }
        }
        let sources = WebHarness.repositoryRoot.appendingPathComponent("Sources/LetheWeb").path
        for file in FileManager.default.enumerator(atPath: sources)!.compactMap({ $0 as? String }) where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            // Not `\b`: the toolchain's word-boundary cache crashed this test once (a null
            // pointer in `Processor.builtinAssert`); the character before `T(` is tested instead.
            for match in text.matches(of: /(?:^|[^A-Za-z0-9_])T\("([A-Za-z0-9_.]+)"/) { used.insert(String(match.1)) }
        }
        #expect(used.count > 40)
        #expect(used.subtracting(english.strings.keys).sorted() == [], "keys used but not in the catalogues")
    }
}

@Suite struct LanguageTests {
    @Test func aDanishBrowserGetsDanishAndTheSwitchIsRemembered() async throws {
        let harness = try await WebHarness()
        _ = try await harness.makeVacancy(title: "Arkivar")
        try await harness.withClient { client in
            let danish = try await client.execute(uri: "/jobs", method: .get, headers: [.acceptLanguage: "da-DK,da;q=0.9,en;q=0.8"])
            let page = String(buffer: danish.body)
            #expect(page.contains("<html lang=\"da\">"))
            #expect(page.contains("Ledige stillinger"))
            #expect(page.contains("href=\"/language/en?return=/jobs\""))
            #expect(danish.headers[.vary]?.contains("Accept-Language") == true)

            let english = try await client.execute(uri: "/jobs", method: .get, headers: [.acceptLanguage: "en-GB,en;q=0.9,da;q=0.5"])
            #expect(String(buffer: english.body).contains("<html lang=\"en\">"))
            #expect(String(buffer: english.body).contains("Open vacancies"))

            // The switch remembers the choice, whatever the browser asks for.
            let browser = Browser(client)
            browser.extraHeaders[.acceptLanguage] = "en"
            let switched = try await browser.get("/language/da?return=%2Fjobs%3Fx%3D1")
            #expect(switched.status == .seeOther)
            #expect(switched.headers[.location] == "/jobs?x=1")
            #expect(browser.cookies["lethe_lang"] == "da")
            #expect(String(buffer: try await browser.get("/jobs").body).contains("<html lang=\"da\">"))
            #expect(String(buffer: try await browser.get("/nowhere").body).contains("Ikke fundet"))

            for hostile in ["//evil.example/", "https://evil.example/", "/\\evil.example", "%0D%0ASet-Cookie:x=1"] {
                let answer = try await Browser(client).get("/language/en?return=" + hostile)
                #expect(answer.headers[.location] == "/", "\(hostile)")
            }
            #expect(try await Browser(client).get("/language/fr?return=/").status == .notFound)
        }
    }

    @Test func theSwitchOnAPageWithAQueryReturnsToThatPageAndQuery() async throws {
        let harness = try await WebHarness()
        _ = try await harness.makeVacancy(title: "Arkivar")
        try await harness.withClient { client in
            let browser = Browser(client)
            for uri in ["/jobs?x=1&y=a%2Fb+c", "/jobs?q=%C3%85sa&sort=name", "/jobs"] {
                let page = String(buffer: try await browser.get(uri).body)
                let link = try #require(page.firstMatch(of: /href="(\/language\/[a-z]{2}\?return=[^"]*)"/)?.1, "\(uri)")
                #expect(!link.dropFirst("/language/xx?return=".count).contains(where: { "&?#=+".contains($0) }), "\(link)")
                let switched = try await browser.get(String(link))
                #expect(switched.status == .seeOther)
                #expect(switched.headers[.location] == uri, "\(link)")
            }
        }
    }

    @Test func anApplicationMadeInDanishIsAnsweredInDanishOnThePageAndByMail() async throws {
        let harness = try await WebHarness()
        let vacancy = try await harness.makeVacancy(title: "Arkivar")
        try await harness.withClient { client in
            let applicant = Browser(client)
            #expect(try await applicant.get("/language/da?return=/jobs/\(vacancy.id!)").status == .seeOther)
            let session = try await applicant.formSession(vacancy: vacancy.id!)
            var mistaken = MultipartBody.application(session, cv: try Fixtures.data("cv.pdf"))
            mistaken.set("name", "")
            let refused = try await applicant.send("/jobs/\(vacancy.id!)/apply", method: .post, headers: [.contentType: mistaken.contentType], body: mistaken.encoded())
            #expect(refused.status == .unprocessableContent)
            let page = String(buffer: refused.body)
            #expect(page.contains("<html lang=\"da\">"))
            #expect(page.contains("Din ansøgning blev ikke sendt"))
            #expect(page.contains("Skriv dit navn."))
            #expect(page.contains("value=\"ada@example.com\""), "what was typed is kept")

            let body = MultipartBody.application(try await applicant.formSession(vacancy: vacancy.id!), cv: try Fixtures.data("cv.pdf"))
            let sent = try await applicant.send("/jobs/\(vacancy.id!)/apply", method: .post, headers: [.contentType: body.contentType], body: body.encoded())
            #expect(sent.status == .seeOther)
            let receipt = String(buffer: try await applicant.get(try #require(sent.headers[.location])).body)
            #expect(receipt.contains("Vi har modtaget din ansøgning"))
            #expect(receipt.contains("Status: Modtaget."))
            #expect(receipt.contains("Jeg giver samtykke til, at organisationen gemmer min ansøgning"), "the consent text in Danish")
            #expect(receipt.contains("Den tekst, du læste") && receipt.contains("Hvem er ansvarlig."), "the privacy notice as read, in Danish")
            let base = try #require(sent.headers[.location]).components(separatedBy: "?")[0]
            #expect(try await applicant.post(base + "/consent", ["months": "12"], csrfFrom: base).status == .seeOther)
        }
        #expect(try harness.database.read { db in try String.fetchOne(db, sql: "SELECT language FROM consent") } == "da", "the consent records the language read")
        #expect(try harness.database.read { db in try String.fetchOne(db, sql: "SELECT language FROM application") } == "da")
        // The acknowledgement proves the Danish text that was read, by its hash; the export shows it.
        let record = try #require(try await harness.database.applicationRecord(id: try harness.onlyApplication().application))
        let privacy = try #require(record.acknowledgements.first { $0.notice.kind == .privacy })
        #expect(privacy.acknowledgement.language == "da")
        let export = ApplicantExport(record: record, exportedAt: Date())
        let entry = try #require(export.noticesAcknowledged.first { $0.kind == "privacy" })
        #expect(entry.language == "da")
        #expect(entry.sha256 == privacy.notice.sha256Da)
        #expect(entry.text.contains("Hvem er ansvarlig."))
        let mail = try #require(try await harness.deliverMail().first)
        #expect(headerText("Subject", in: mail) == "Vi har modtaget din ansøgning: Arkivar")
        #expect(mail.contains("Kære Ada Applicant"))
        #expect(mail.contains("seks måneder efter at du sendte den"))
        #expect(mail.range(of: #"slettes \d{1,2}\. (januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december) \d{4}"#, options: .regularExpression) != nil)
    }

    @Test func withoutAChoiceTheDefaultLanguageIsSpoken() async throws {
        let harness = try await WebHarness { $0.defaultLanguage = .da }
        try await harness.withClient { client in
            let page = String(buffer: try await client.execute(uri: "/", method: .get).body)
            #expect(page.contains("<html lang=\"da\">"))
            #expect(page.contains("Applications are deleted") == false)
            #expect(page.contains("Ansøgninger slettes seks måneder efter"))
        }
    }

    @Test func datesAreShownInTheOrganisationsZoneAndLanguage() throws {
        let catalogues = try Catalogue.load(templates: CatalogueTests.templates)
        let zone = TimeZone(identifier: "Europe/Copenhagen")!
        let winter = try #require(ISO8601DateFormatter().date(from: "2026-11-25T13:30:00Z"))
        let summer = try #require(ISO8601DateFormatter().date(from: "2026-07-01T22:30:00Z"))
        Localizer.$current.withValue(Localizer(catalogue: catalogues[.da]!, timeZone: zone)) {
            #expect(Formatting.dateTime(winter) == "25. november 2026 kl. 14.30")
            #expect(Formatting.day(summer) == "2. juli 2026", "00:30 in Copenhagen is the next day")
        }
        Localizer.$current.withValue(Localizer(catalogue: catalogues[.en]!, timeZone: zone)) {
            #expect(Formatting.dateTime(winter) == "25 November 2026, 14:30")
            #expect(Formatting.dateTime(summer) == "2 July 2026, 00:30")
        }
    }

    @Test func acceptLanguageIsReadByItsQualityValues() {
        #expect(Language.preferred(by: "da") == .da)
        #expect(Language.preferred(by: "en-US,en;q=0.9") == .en)
        #expect(Language.preferred(by: "de-DE,de;q=0.9,da;q=0.5,en;q=0.4") == .da)
        #expect(Language.preferred(by: "en;q=0.2,da;q=0.8") == .da)
        #expect(Language.preferred(by: "nb-NO") == .da)
        #expect(Language.preferred(by: "fr, de") == nil)
        #expect(Language.preferred(by: "da;q=0") == nil)
        #expect(Language.preferred(by: nil) == nil)
    }
}

/// Renders every translated page through a catalogue that marks each text ⟦like this⟧: any
/// visible word left unmarked is a literal that a translator cannot reach.
@Suite struct PseudoLocaleTests {
    static func unmarkedText(in html: String, allowing data: [String]) -> [String] {
        var text = html
        for pattern in [#"<script[\s\S]*?</script>"#, #"<style[\s\S]*?</style>"#, #"<textarea[\s\S]*?</textarea>"#, #"<[^>]+>"#] {
            text = text.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
        }
        text = text.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
        var outside = "", depth = 0
        for character in text {
            if character == "⟦" { depth += 1 } else if character == "⟧" { depth = max(0, depth - 1) } else if depth == 0 { outside.append(character) }
        }
        for value in data + ["Lethe"] { outside = outside.replacingOccurrences(of: value, with: " ") }
        // Fingerprints (hex) are data, not words.
        return outside.split(whereSeparator: { $0.isWhitespace }).map(String.init)
            .filter { $0.contains(where: \.isLetter) && !($0.count >= 8 && $0.allSatisfy(\.isHexDigit)) }
    }

    @Test func everyTranslatedPageHasNoTextOutsideTheCatalogue() async throws {
        let harness = try await WebHarness { $0.textTransform = { "⟦" + $0 + "⟧" } }
        let vacancy = try await harness.makeVacancy(title: "Arkivar")
        try await harness.makeStaff("pia@example.org", role: .hr, panels: [vacancy])
        let receipt = try await harness.submit(to: vacancy, cv: try Fixtures.data("cv.pdf")).components(separatedBy: "?")[0]
        let danishNotices = try await harness.database.currentNotices().values.compactMap(\.bodyDa).flatMap { $0.components(separatedBy: "\n\n") }
        let messageTemplates = try await harness.database.messageTemplates().values.flatMap { [$0.subject] + $0.body.components(separatedBy: "\n") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        // What people typed, the documents' names and formats, and the notices (HR's texts).
        let notices = try await harness.database.currentNotices().values.map(\.body).flatMap { $0.components(separatedBy: "\n\n") }
        let data = ["Arkivar", "A job.", "Copenhagen", "Ada Applicant", "ada@example.com", "cv.pdf", "PDF", "JSON",
                    "I would like this job.", "Rita Referee", "rita@example.com", "Former manager"] + notices
        try await harness.withClient { client in
            let pages = ["/", "/jobs", "/jobs/\(vacancy.id!)", "/jobs/999999", "/me", "/me?sent=1", receipt, receipt + "/withdraw", "/withdrawn", "/nowhere"]
            for path in pages {
                let html = String(buffer: try await Browser(client).get(path).body)
                #expect(html.contains("⟦"), "\(path) was not rendered through the catalogue")
                #expect(Self.unmarkedText(in: html, allowing: data) == [], "\(path)")
            }
            // Every staff and HR page, signed in as an HR member who also sits on the panel.
            let pia = Browser(client)
            try await pia.signIn("pia@example.org", WebHarness.password)
            let (application, _) = try harness.onlyApplication()
            let page = "/staff/applications/\(application)"
            _ = try await pia.post(page + "/messages", ["subject": "Interview", "body": "Tuesday?"], csrfFrom: page)
            _ = try await pia.post(page + "/assessment", ["competencies": "4", "qualifications": "4", "experience": "3", "notes": "Good."], csrfFrom: page)
            let staffPages = ["/staff", "/staff/vacancies/\(vacancy.id!)", page, page + "?template=rejection", "/staff/password",
                              "/hr", "/hr/vacancies/new", "/hr/vacancies/\(vacancy.id!)", "/hr/notices", "/hr/notices/1", "/hr/retention",
                              "/hr/applications/\(application)", "/hr/mail", "/hr/message-templates"]
            let staffData = data + ["Pia", "pia@example.org", "Interview", "Tuesday?", "Good."] + danishNotices + messageTemplates
            for path in staffPages {
                let html = String(buffer: try await pia.get(path).body)
                #expect(html.contains("⟦"), "\(path) was not rendered through the catalogue")
                #expect(Self.unmarkedText(in: html, allowing: staffData) == [], "\(path)")
            }
            for path in ["/login", "/login/reset"] {
                #expect(Self.unmarkedText(in: String(buffer: try await Browser(client).get(path).body), allowing: data) == [], "\(path)")
            }
        }
    }
}

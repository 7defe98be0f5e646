import Foundation
import GRDB
import LetheCore
import Mustache
import Testing
@testable import LetheWeb

/// The rendering shortcuts of issue 15 change how a page is produced, never what it says.
@Suite struct PageRenderingTests {
    @Test func pagesEscapeExactlyAsMustacheDoes() throws {
        PageHTML.register()
        let mustache = try MustacheTemplate(string: "{{x}}")
        let page = try MustacheTemplate(string: "{{% CONTENT_TYPE: LETHE_HTML}}{{x}}")
        let samples = [
            "", "Ada Lovelace", "<script>alert('x')</script> O'Brien & \"co\"", "Åse Ærø <b>fed</b>", "👩‍💻<>&'\"", "&amp; already", "a\u{301}<",
        ]
        for sample in samples {
            #expect(page.render(["x": sample]) == mustache.render(["x": sample]), "\(sample)")
        }
        #expect(page.render(["x": "<i>O'Brien</i>"]) == "&lt;i&gt;O&#39;Brien&lt;/i&gt;")
    }

    /// Views that answer the templates by name instead of through `Mirror` must answer every
    /// field they hold: a field added and forgotten would vanish from the page in silence.
    @Test func viewsThatAnswerByNameAnswerEveryField() throws {
        let listRow = try ApplicationListRow(row: [
            "id": 7, "name": "Ada <Lovelace>", "status": "in_review", "submitted_at": "2026-11-25 14:30:00.000",
            "from_pool": true, "assessed_by_me": true, "average_score": 3.5,
        ])
        let catalogue = try Catalogue(language: .en, json: Data(#"{"a": {"b": "text"}}"#.utf8))
        let views: [any MustacheParent] = [
            LinkView(label: "Newest", href: "/staff/vacancies/1?sort=newest", current: true),
            OptionView(value: "hired", label: "Hired", selected: false),
            StaffVacancyView.Row(listRow, selected: true),
            SiteContext.SignedIn(name: "Pia", isHR: false),
            SiteContext(
                signedIn: .init(name: "Pia", isHR: true), csrfToken: "token", retentionPeriod: "six months", retentionNote: "note",
                lang: "en", t: CatalogueNode(catalogue: catalogue, prefix: ""), switchName: "Dansk", switchLang: "da", switchHref: "/language/da"
            ),
        ]
        for view in views {
            let fields = Mirror(reflecting: view).children
            #expect(fields.count >= 3)
            for field in fields {
                let label = try #require(field.label)
                let answered = view.child(named: label)
                #expect(answered.map { String(describing: $0) } == Self.unwrapped(field.value), "\(type(of: view)).\(label)")
            }
        }
    }

    private static func unwrapped(_ value: Any) -> String? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return String(describing: value) }
        return mirror.children.first.map { String(describing: $0.value) }
    }
}

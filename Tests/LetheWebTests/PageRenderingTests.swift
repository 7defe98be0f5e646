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
            StaffHomeView.Row(id: 3, title: "Archivist & <co>", status: "Open", closesOn: "27 January 2027", applications: 12),
            SiteContext.SignedIn(name: "Pia", isHR: false),
            SiteContext(
                signedIn: .init(name: "Pia", isHR: true), csrfToken: "token", retentionPeriod: "six months", retentionNote: "note",
                lang: "en", t: CatalogueNode(catalogue: catalogue, prefix: ""), switchName: "Dansk", switchLang: "da", switchHref: "/language/da"
            ),
        ]
        // A page's whole view too: its one field is what the page is about.
        #expect(Mirror(reflecting: StaffHomeView([], now: Date())).children.map(\.label) == ["vacancies"])
        #expect(StaffHomeView([], now: Date()).child(named: "vacancies").map { String(describing: $0) } == "[]")
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

    /// Views inside a view (alone, optional, in arrays, in arrays inside those) are tables by
    /// name once a page starts (`ViewTable`); every kind of lookup reads the same through them
    /// as through Mustache's own reflection.
    @Test func nestedViewsReadTheSameAsTablesAsThroughReflection() throws {
        PageHTML.register()
        var composer = MessageComposer(applicationId: 7, mailOff: false, chosen: .interview)
        composer.subject = "<Interview> & \"co\""
        composer.subjectError = "Too long"
        let view = NestedViews(
            composer: composer,
            scores: [
                .init(name: "competencies", label: "Competencies", options: [.init(value: 1, selected: false), .init(value: 2, selected: true)], missing: false),
                .init(name: "experience", label: "Experience", options: [.init(value: 1, selected: false)], missing: true),
            ],
            neighbours: NeighboursView(previous: "/staff/applications/6", next: nil),
            none: nil,
            thread: [
                ThreadRow(from: "Pia", subject: "Tuesday?", paragraphs: Paragraph.split("One.\r\n\r\nTwo <b>"), sentAt: "25 November", fromApplicant: false),
                ThreadRow(from: "Applicant", subject: nil, paragraphs: [], sentAt: "26 November", fromApplicant: true),
            ],
            count: 3
        )
        let template = try MustacheTemplate(string: """
            {{% CONTENT_TYPE: LETHE_HTML}}{{#composer}}{{subject}}|{{#subjectError}}E:{{.}}{{/subjectError}}|{{#starters}}{{label}}>{{href}}{{#current}}*{{/current}};{{/starters}}{{^mailOff}}on{{/mailOff}}{{/composer}}
            {{#scores}}{{name}}:{{#options}}{{value}}{{#selected}}!{{/selected}}{{^last()}},{{/last()}}{{/options}}{{#missing}}?{{/missing}} {{/scores}}
            {{#neighbours}}{{previous}}/{{next}}{{^next}}none{{/next}}{{/neighbours}}{{^none}}no neighbours{{/none}}{{#none}}wrong{{/none}}
            {{#thread}}{{from}}:{{#subject}}[{{subject}}]{{/subject}}{{#paragraphs}}<p>{{text}}</p>{{/paragraphs}}{{sentAt}}{{^fromApplicant}}(panel){{/fromApplicant}}{{/thread}}
            {{^empty(thread)}}{{thread.count}} messages{{/empty(thread)}} {{composer.subject}} {{count}} {{neighbours.previous}}
            """)
        let tabled = template.render(ViewTable(Mirror(reflecting: view)))
        #expect(tabled == template.render(view))
        #expect(tabled.contains("&lt;Interview&gt; &amp; &quot;co&quot;|E:Too long|"))
        #expect(tabled.contains("competencies:1,2! experience:1?"))
        #expect(tabled.contains("/staff/applications/6/none"))
        #expect(tabled.contains("<p>Two &lt;b&gt;</p>25 November(panel)"))
    }

    private struct NestedViews {
        let composer: MessageComposer
        let scores: [StaffApplicationView.ScoreField]
        let neighbours: NeighboursView?
        let none: NeighboursView?
        let thread: [ThreadRow]
        let count: Int
    }

    private static func unwrapped(_ value: Any) -> String? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return String(describing: value) }
        return mirror.children.first.map { String(describing: $0.value) }
    }
}

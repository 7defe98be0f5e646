import Testing
import LetheCore

@Suite struct MessageTemplateTests {
    @Test func aTemplateIsFilledInWithTheApplicantsNameAndTheVacancy() {
        let filled = MessageTemplate.fill("Dear {name}, about {vacancy}. {name}!", name: "Ada Lovelace", vacancy: "Archivist")
        #expect(filled == "Dear Ada Lovelace, about Archivist. Ada Lovelace!")
    }

    @Test func whatIsFilledInIsNeverFilledInAgain() {
        // An applicant who writes a placeholder into their name is addressed by what they wrote,
        // not by the vacancy's title, and a title with braces is shown as HR wrote it.
        let filled = MessageTemplate.fill("Dear {name}, about {vacancy}", name: "Ada {vacancy}", vacancy: "Archivist {name}")
        #expect(filled == "Dear Ada {vacancy}, about Archivist {name}")
    }

    @Test func bracesThatAreNotAPlaceholderAreKeptAsWritten() {
        let filled = MessageTemplate.fill("Dear {name}, see {date} and {unclosed", name: "Bo", vacancy: "Archivist")
        #expect(filled == "Dear Bo, see {date} and {unclosed")
        #expect(MessageTemplate.fill("No placeholders here.", name: "Bo", vacancy: "Archivist") == "No placeholders here.")
    }
}

import Testing
import Foundation
@testable import LetheWeb

/// How a form part's `Content-Disposition` and a request's `Content-Type` are read: the field
/// name, the file name the applicant chose and the boundary, as browsers and HTTP clients send them.
@Suite struct HeaderParametersTests {
    @Test func aFileNameInAnyScriptWithSemicolonsAndSpacesIsReadWhole() {
        let disposition = HeaderParameters("form-data; name=\"cv\"; filename=\"Åsa CV; 履歴書 final.pdf\"")
        #expect(disposition.value == "form-data")
        #expect(disposition["name"] == "cv")
        #expect(disposition.fileName == "Åsa CV; 履歴書 final.pdf")
    }

    @Test func aQuotedValueKeepsWhatABackslashEscapes() {
        let disposition = HeaderParameters(#"form-data; name="cv"; filename="say \"hi\" \\o.pdf"; x=1"#)
        #expect(disposition.fileName == #"say "hi" \o.pdf"#)
        #expect(disposition["x"] == "1")
    }

    @Test func theUTF8FileNameIsPreferredToThePlainOne() {
        let disposition = HeaderParameters("form-data; name=\"cv\"; filename=\"Asa.pdf\"; filename*=UTF-8''%C3%85sa%20CV.pdf")
        #expect(disposition.fileName == "Åsa CV.pdf")
        let otherCharset = HeaderParameters("form-data; name=\"cv\"; filename=\"Asa.pdf\"; filename*=ISO-8859-1''%C5sa.pdf")
        #expect(otherCharset.fileName == "Asa.pdf")
    }

    @Test func namesAreCaseInsensitiveAndTheFirstOfANameCounts() {
        let disposition = HeaderParameters("Form-Data;NAME=\"first\"; name=\"second\"")
        #expect(disposition.value == "Form-Data")
        #expect(disposition["name"] == "first")
    }

    @Test func aParameterWithoutAValueDoesNotHideTheNext() {
        let disposition = HeaderParameters("form-data; flag; name=\"cv\"; ; =orphan; filename=cv.pdf")
        #expect(disposition["name"] == "cv")
        #expect(disposition.fileName == "cv.pdf")
        #expect(disposition["flag"] == nil)
    }

    @Test func spacesAndTabsAroundNamesAndUnquotedValuesDoNotCount() {
        let contentType = "Multipart/Form-Data ;\tboundary = \t----WebKitFormBoundary7MA4YWxk  "
        #expect(MultipartFormReader.boundary(fromContentType: contentType) == "----WebKitFormBoundary7MA4YWxk")
        #expect(MultipartFormReader.boundary(fromContentType: "multipart/form-data; boundary=\"quoted boundary\"") == "quoted boundary")
        #expect(MultipartFormReader.boundary(fromContentType: "text/plain; boundary=abc") == nil)
        #expect(MultipartFormReader.boundary(fromContentType: "multipart/form-data") == nil)
    }

    @Test func anUnclosedQuoteEndsWithTheHeader() {
        let disposition = HeaderParameters("form-data; name=\"cv\"; filename=\"half; name\\")
        #expect(disposition["name"] == "cv")
        #expect(disposition.fileName == "half; name\\")
    }
}

/// Lethe's percent-encoding against Foundation's, its oracle: the same bytes for every ASCII
/// character and for texts in any script, in both sets Lethe uses.
@Suite struct PercentEncodingTests {
    @Test func encodesAsFoundationDoesForEveryASCIICharacterAndAnyScript() {
        var unreserved = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        unreserved.insert(charactersIn: "-._~")
        var queryValue = CharacterSet.urlQueryAllowed
        queryValue.remove(charactersIn: "&=+#?")
        let ascii = String((0..<128).map { Character(Unicode.Scalar(UInt8($0))) })
        var generator = SystemRandomNumberGenerator()
        let pieces = ["Åsa", "履歴書", "ø", " ", "%", "&", "=", "?", "#", "+", "/", "é", "🙂", "a", "Z", "9", "~", "'", "(", "\u{0}", "\u{7F}", "\r\n"]
        let texts = [ascii, "", "cv.pdf", "/staff/vacancies/1?status=received&sort=name&page=2"] + (0..<500).map { _ in
            (0..<Int.random(in: 1...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
        }
        for text in texts {
            #expect(PercentEncoding.unreserved.encode(text) == text.addingPercentEncoding(withAllowedCharacters: unreserved), "\(text.debugDescription)")
            #expect(PercentEncoding.queryValue.encode(text) == text.addingPercentEncoding(withAllowedCharacters: queryValue), "\(text.debugDescription)")
        }
    }

    @Test func aFileNameInAnyScriptComesBackWholeFromTheDownloadsHeader() {
        for name in ["Åsa CV; 履歴書 final.pdf", "say \"hi\" \\o%20.pdf", "cv.pdf", "🙂 & = ?.docx"] {
            let header = DocumentResponse.contentDisposition(.attachment, for: name)
            #expect(HeaderParameters(header).fileName == name, "\(header)")
        }
    }
}

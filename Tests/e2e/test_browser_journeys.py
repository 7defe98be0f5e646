"""The journeys of applicant, panel member, staff member and HR, in a real headless Chromium.

A failing step leaves a screenshot and the page source in Tests/e2e/screenshots/."""
import os
import re
import time

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from lethe_server import DEMO_HR, DEMO_PANEL, DEMO_STAFF, ROOT, LetheServer

SCREENSHOTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "screenshots")
CV = os.path.join(ROOT, "Tests", "Fixtures", "cv.pdf")


@pytest.fixture(scope="module")
def server():
    s = LetheServer()
    yield s
    s.stop()
    assert "error" not in s.log().lower().replace("error-summary", ""), s.log()


@pytest.fixture()
def browser(tmp_path, request):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600", "--disable-gpu"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(tmp_path),
        "download.prompt_for_download": False,
        "safebrowsing.enabled": False,
    })
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    driver.download_dir = str(tmp_path)
    yield driver
    if getattr(request.node, "failed", False):
        os.makedirs(SCREENSHOTS, exist_ok=True)
        name = re.sub(r"\W+", "_", request.node.name)
        driver.save_screenshot(os.path.join(SCREENSHOTS, f"{name}.png"))
        with open(os.path.join(SCREENSHOTS, f"{name}.html"), "w") as f:
            f.write(driver.page_source)
    driver.quit()


def navigate(driver, element):
    """Clicks something that loads a new page, and waits until the new page is there."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(page))


def sign_in(driver, server, who):
    driver.get(server.url("/login"))
    driver.find_element(By.ID, "email").send_keys(who[0])
    driver.find_element(By.ID, "password").send_keys(who[1])
    navigate(driver, driver.find_element(By.CSS_SELECTOR, "main button[type=submit]"))


def sign_out(driver):
    navigate(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"))


def wait_for_download(directory, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        files = [f for f in os.listdir(directory) if not f.endswith(".crdownload")]
        if files:
            return os.path.join(directory, files[0])
        time.sleep(0.2)
    raise AssertionError("the download did not finish")


def test_the_whole_life_of_an_international_application(server, browser):
    d = browser
    # The applicant finds the international vacancy and applies with a real PDF.
    d.get(server.url("/"))
    navigate(d, d.find_element(By.PARTIAL_LINK_TEXT, "Partnerships Coordinator"))
    assert "Transfer outside the EU/EEA" in d.page_source
    d.find_element(By.ID, "name").send_keys("Ingrid Applicant")
    d.find_element(By.ID, "email").send_keys("ingrid@example.com")
    d.find_element(By.ID, "cover_letter").send_keys("I have coordinated partners on three continents.")
    d.find_element(By.ID, "cv").send_keys(CV)
    d.find_element(By.ID, "reference_1_name").send_keys("Rolf Referee")
    d.find_element(By.ID, "reference_1_contact").send_keys("rolf@example.com")
    d.find_element(By.ID, "reference_1_permission").click()
    d.find_element(By.ID, "reference_2_name").send_keys("Nora Noperm")
    d.find_element(By.ID, "reference_2_contact").send_keys("+45 12 12 12 12")
    d.find_element(By.ID, "privacy_ack").click()
    d.find_element(By.ID, "transfer_ack").click()
    navigate(d, d.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]"))
    assert "Your application has been received" in d.page_source
    receipt = d.current_url.split("?")[0]
    assert re.search(r"/me/[A-Za-z0-9_-]{43}$", receipt)
    assert "Transfer outside the EU/EEA, version 1" in d.page_source

    # A panel member signs in, finds the application, downloads the CV and assesses it.
    d.delete_all_cookies()
    sign_in(d, server, DEMO_PANEL)
    navigate(d, d.find_element(By.PARTIAL_LINK_TEXT, "Partnerships Coordinator"))
    d.find_element(By.ID, "q").send_keys("Ingrid")
    navigate(d, d.find_element(By.CSS_SELECTOR, "form[role=search] button"))
    navigate(d, d.find_element(By.LINK_TEXT, "Ingrid Applicant"))
    application_url = d.current_url
    assert "May be contacted" in d.page_source
    assert "No permission: do not contact" in d.page_source
    d.find_element(By.LINK_TEXT, "cv.pdf").click()
    downloaded = wait_for_download(d.download_dir)
    with open(downloaded, "rb") as got, open(CV, "rb") as sent:
        assert got.read() == sent.read()
    for field, score in (("competencies", "4"), ("qualifications", "5"), ("experience", "3")):
        Select(d.find_element(By.ID, field)).select_by_value(score)
    d.find_element(By.ID, "notes").send_keys("Convincing partner experience.")
    navigate(d, d.find_element(By.CSS_SELECTOR, "form[action$='/assessment'] button"))
    assert "Your assessment was saved." in d.page_source
    assert "Convincing partner experience." in d.page_source
    sign_out(d)

    # A staff member who is not on the panel cannot reach it.
    sign_in(d, server, DEMO_STAFF)
    assert "You are not on any hiring panel" in d.page_source
    d.get(application_url)
    assert "Not Found" in d.title
    assert "Ingrid" not in d.page_source
    sign_out(d)

    # HR records extended consent obtained by e-mail.
    sign_in(d, server, DEMO_HR)
    d.get(server.url("/hr/retention?email=ingrid%40example.com"))
    navigate(d, d.find_element(By.PARTIAL_LINK_TEXT, "#"))
    until = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 300 * 86400))
    date_input = d.find_element(By.ID, "until")
    d.execute_script("arguments[0].value = arguments[1]", date_input, until)
    d.find_element(By.ID, "evidence").send_keys("reply by e-mail of 25 November")
    navigate(d, d.find_element(By.CSS_SELECTOR, "form[action$='/consent'] button"))
    assert "The consent was recorded." in d.page_source
    sign_out(d)

    # The applicant withdraws that consent, then withdraws the application.
    d.delete_all_cookies()
    d.get(receipt)
    assert "recorded by HR" in d.page_source
    navigate(d, d.find_element(By.CSS_SELECTOR, "form[action$='/consent/withdraw'] button"))
    assert "You withdrew your consent" in d.page_source
    navigate(d, d.find_element(By.PARTIAL_LINK_TEXT, "Withdraw my application"))
    d.find_element(By.ID, "confirm").click()
    navigate(d, d.find_element(By.CSS_SELECTOR, "form[action$='/withdraw'] button.danger"))
    assert "Your application was withdrawn" in d.page_source
    d.get(receipt)
    assert "Not Found" in d.title
    assert server.sql("SELECT count(*) FROM application WHERE email = 'ingrid@example.com'")[0][0] == 0


def test_a_mistake_on_the_form_keeps_what_was_typed(server, browser):
    d = browser
    d.get(server.url("/jobs"))
    navigate(d, d.find_element(By.PARTIAL_LINK_TEXT, "Records Officer"))
    d.find_element(By.ID, "name").send_keys("Mads <b>Mistake</b>")
    d.find_element(By.ID, "email").send_keys("not-an-email")
    d.find_element(By.ID, "cv").send_keys(CV)
    d.find_element(By.ID, "privacy_ack").click()
    navigate(d, d.find_element(By.CSS_SELECTOR, "form[enctype] button[type=submit]"))
    assert "Your application was not sent" in d.page_source
    assert d.find_element(By.ID, "name").get_attribute("value") == "Mads <b>Mistake</b>"
    assert d.find_element(By.ID, "email").get_attribute("value") == "not-an-email"
    assert d.find_element(By.ID, "email-error").text == "Enter an e-mail address like name@example.com."
    assert d.find_element(By.ID, "privacy_ack").is_selected()

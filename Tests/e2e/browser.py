"""A real headless Chromium for the system tests, and the few steps every journey shares.

Navigation is waited for deterministically: before a click that loads a page, the old page's
body gets a marker; the new page is there when its body has no marker and its document is
complete. (The application form is sent by script, and a form the server sends back replaces
the page's content in the same window: the body is new, the window is not.) While Chromium swaps documents, chromedriver may answer with transient errors
("unhandled inspector error", a stale or detached frame): they mean "not yet", never a failure.
"""
import json
import os
import re
import time

from selenium import webdriver
from selenium.common.exceptions import JavascriptException, NoSuchElementException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from lethe_server import ROOT

# Selenium must never look for a driver or send statistics over the network.
os.environ.setdefault("SE_AVOID_STATS", "true")
os.environ.setdefault("SE_OFFLINE", "true")

SCREENSHOTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "screenshots")
DESKTOP = (1280, 1600)
PHONE = (390, 844)
NAVIGATION_TIMEOUT = 30


def make_driver(download_dir, size=DESKTOP, language="en"):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={size[0]},{size[1]}",
                 "--disable-gpu", f"--lang={language}", "--disable-background-networking", "--no-first-run"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(download_dir),
        "download.prompt_for_download": False,
        "safebrowsing.enabled": False,
        "intl.accept_languages": language,
    })
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    if size[0] < 500:
        # Headless Chromium's window is never narrower than 500 px: a phone's width is emulated.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": True})
    driver.download_dir = str(download_dir)
    return driver


def save_failure(driver, name):
    """Keeps what the browser showed when a step failed."""
    os.makedirs(SCREENSHOTS, exist_ok=True)
    name = re.sub(r"\W+", "_", name)
    driver.save_screenshot(os.path.join(SCREENSHOTS, f"{name}.png"))
    with open(os.path.join(SCREENSHOTS, f"{name}.html"), "w") as f:
        f.write(driver.page_source)


def _new_page_loaded(driver):
    try:
        return driver.execute_script("return document.readyState === 'complete' && document.body !== null && document.body.__letheOldPage !== true")
    except (JavascriptException, WebDriverException):
        return False  # the document is being swapped: not yet


def navigate(driver, element, expect=None):
    """Clicks something that loads a new page and waits for that page, complete. `expect`, a
    regular expression, must then match the new URL."""
    driver.execute_script("document.body.__letheOldPage = true")
    element.click()
    WebDriverWait(driver, NAVIGATION_TIMEOUT, poll_frequency=0.05).until(
        _new_page_loaded, message=f"no new page after clicking {element_description(element)}")
    if expect is not None:
        assert re.search(expect, driver.current_url), f"expected a page matching {expect}, got {driver.current_url}"


def element_description(element):
    try:
        return f"<{element.tag_name}> {element.text[:40]!r}"
    except WebDriverException:
        return "an element"


def submit(driver, form_selector, expect=None):
    """Submits the form matching `form_selector` with its submit button and waits for the answer."""
    navigate(driver, driver.find_element(By.CSS_SELECTOR, f"{form_selector} button[type=submit]"), expect)


def sign_in(driver, server, who, expect=r"/(staff|hr)$"):
    driver.get(server.url("/login"))
    driver.find_element(By.ID, "email").send_keys(who[0])
    driver.find_element(By.ID, "password").send_keys(who[1])
    submit(driver, "form[action='/login']", expect)


def sign_out(driver):
    navigate(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"), r"/login$")


def wait_for_download(directory, name, size, timeout=30):
    """The path of the downloaded file `name` once it is complete. Chromium reserves the final
    name with an empty file at the start and writes into a `.crdownload` file, so the download
    is complete only when no partial file is left and the file has its full size."""
    path = os.path.join(directory, name)
    deadline = time.time() + timeout
    while time.time() < deadline:
        partial = [f for f in os.listdir(directory) if f.endswith((".crdownload", ".tmp"))]
        if not partial and os.path.exists(path) and os.path.getsize(path) == size:
            return path
        time.sleep(0.1)
    raise AssertionError(f"the download of {name} did not finish: {os.listdir(directory)}")


def has_element(driver, by, value):
    try:
        driver.find_element(by, value)
        return True
    except NoSuchElementException:
        return False


# axe-core, as shipped by selenium-axe-python (PyPI), run in the page itself.
def _axe_source():
    import selenium_axe_python
    path = os.path.join(os.path.dirname(selenium_axe_python.__file__), "axe-core", "axe.min.js")
    with open(path) as f:
        return f.read()


_AXE = None


def axe_violations(driver, impacts=tuple(os.environ.get("AXE_IMPACTS", "moderate,serious,critical").split(","))):
    """The axe-core violations of the page now shown, of the given impacts, as readable lines."""
    global _AXE
    if _AXE is None:
        _AXE = _axe_source()
    driver.execute_script(_AXE)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify({error: String(e)})));")
    violations = json.loads(result)
    if isinstance(violations, dict):
        raise AssertionError(f"axe failed: {violations['error']}")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(n['target'][0] for n in v['nodes'][:3])}"
            for v in violations if v["impact"] in impacts]


def fixture_path(name):
    return os.path.join(ROOT, "Tests", "Fixtures", name)


_CATALOGUES = {}


def text(language, key, **values):
    """A text of the language catalogue (templates/locales/<language>.json), values filled in:
    what a reader of that language sees, so a journey asserts the same thing in both."""
    if language not in _CATALOGUES:
        import json
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        with open(os.path.join(root, "templates", "locales", f"{language}.json")) as f:
            _CATALOGUES[language] = json.load(f)
    node = _CATALOGUES[language]
    for part in key.split("."):
        node = node[part]
    for name, value in values.items():
        node = node.replace("{" + name + "}", str(value))
    return node

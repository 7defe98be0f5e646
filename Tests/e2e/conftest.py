import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pytest

from browser import make_driver, save_failure
from lethe_server import LetheServer


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Marks a failed test so that its browser fixture saves a screenshot."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        item.failed = True


@pytest.fixture(scope="module")
def server():
    """A demo server of its own for each test module; its log must hold no error at the end."""
    s = LetheServer()
    yield s
    s.stop()
    assert not re.search(r"\b(error|critical)\b", s.log().replace("error-summary", "")), s.log()


@pytest.fixture()
def browser(tmp_path, request):
    driver = make_driver(tmp_path)
    yield driver
    if getattr(request.node, "failed", False):
        save_failure(driver, request.node.name)
    driver.quit()


@pytest.fixture()
def phone(tmp_path, request):
    """The same browser at a phone's width."""
    from browser import PHONE
    driver = make_driver(tmp_path, size=PHONE)
    yield driver
    if getattr(request.node, "failed", False):
        save_failure(driver, request.node.name + "_phone")
    driver.quit()


@pytest.fixture()
def danish_browser(tmp_path, request):
    """A browser whose reader asks for Danish (Accept-Language: da)."""
    driver = make_driver(tmp_path, language="da")
    yield driver
    if getattr(request.node, "failed", False):
        save_failure(driver, request.node.name)
    driver.quit()

"""A real browser for the inbox page: Debian's Chromium, headless, driven by Selenium.

Nothing is downloaded: Selenium is pointed at the installed ``chromium`` and
``chromedriver`` (``apt-get install chromium chromium-driver``; ``.ci/run``
installs them), or at ``CHROMIUM`` and ``CHROMEDRIVER`` when set. These tests
are marked ``browser`` and run in their own tox env (``tox -e browser``).
"""

from __future__ import annotations

import os
import shutil

import pytest


def _binary(variable: str, *names: str) -> str:
    given = os.environ.get(variable)
    if given:
        return given
    for name in names:
        found = shutil.which(name) or (os.path.exists(f"/usr/bin/{name}") and f"/usr/bin/{name}")
        if found:
            return found
    raise RuntimeError(
        f"{names[0]} is not installed: apt-get install chromium chromium-driver "
        f"(.ci/run installs them), or set {variable}"
    )


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium, one for the session, closed at its end."""
    if os.environ.get("CI"):
        import selenium  # noqa: F401  (in CI a missing driver is a failure, never a skip)
    pytest.importorskip("selenium", reason="the browser tests need selenium: tox -e browser")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = _binary("CHROMIUM", "chromium", "chromium-browser")
    for argument in (
        "--headless=new",
        "--no-sandbox",  # root in a container has no user namespace for the sandbox
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        "--force-device-scale-factor=1",
        "--lang=en-US",
    ):
        options.add_argument(argument)
    service = Service(_binary("CHROMEDRIVER", "chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    yield driver
    driver.quit()

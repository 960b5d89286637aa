"""The headless browser the browser tests share (the study report's, the explorer's): Debian's
Chromium driven by Selenium through chromedriver. The browser comes from the system's packages:
installed by :func:`chromium` when missing (as root, with apt-get), or the test is skipped with the
reason. Its own networking is off (no background, component, sync or QUIC traffic; an empty
profile), so a page opened from file:// or 127.0.0.1 is all it reaches.

Use it in a test module with ``from tests.browser import browser  # noqa: F401`` (a fixture)."""

import os
import shutil
import subprocess

import pytest

FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000")


def chromium():
    """(chromium, chromedriver) paths: installed with apt-get when missing and possible, else skip."""
    chrome, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if chrome and driver:
        return chrome, driver
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("the browser test needs Debian's chromium and chromium-driver (apt-get install chromium "
                    "chromium-driver); they are not installed and this user cannot install them")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            pytest.skip(f"the browser test needs Chromium; installing it failed ({' '.join(cmd)}: "
                        f"{done.stderr.strip().splitlines()[-1:] or done.returncode})")
    chrome, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chrome and driver):
        pytest.skip("Chromium was installed but chromium/chromedriver are not on PATH")
    return chrome, driver


def graphviz() -> str:
    """The path of Graphviz's ``dot`` (the explorer's diagrams): installed with apt-get when missing
    and possible (as Chromium is), else the test is skipped with the reason."""
    found = shutil.which("dot")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("Graphviz is not installed (apt-get install graphviz) and this user cannot install it: "
                    "the built-in layout is tested instead")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "graphviz"]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            pytest.skip(f"Graphviz could not be installed ({' '.join(cmd)}: "
                        f"{done.stderr.strip().splitlines()[-1:] or done.returncode})")
    return shutil.which("dot") or pytest.skip("Graphviz was installed but dot is not on PATH")


def console_errors(driver) -> list[dict]:
    """The browser console's errors since the last call (a CSP violation, a failed load, a script error)."""
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    pytest.importorskip("selenium", reason="the browser test needs selenium (pip install '.[test]')")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_AVOID_STATS", "true")  # Selenium Manager must not report usage anywhere
    os.environ.setdefault("SE_OFFLINE", "true")
    chrome, driver_path = chromium()
    opts = webdriver.ChromeOptions()
    opts.binary_location = chrome
    for arg in FLAGS + (f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(driver_path), options=opts)
    d.set_page_load_timeout(60)
    yield d
    d.quit()

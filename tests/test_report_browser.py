"""The study report in a real headless browser (Debian's Chromium, driven by Selenium through
chromedriver): it loads with no console error, the heat map and an authority's section render
(a screenshot checked for size and colour), sorting and the filter work. The browser is
tests/browser.py's (shared with the explorer's test): Debian's, installed when missing, or the test
is skipped with the reason. Only a file:// page is opened; the browser's own networking is off."""

import json

import pytest

from tests.browser import browser  # noqa: F401  (the shared headless Chromium)
from tests.test_study import GOOD, OLD


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from tests.conftest import run_cli

    root = tmp_path_factory.mktemp("pages")
    for name, text in (("milton-keynes", GOOD), ("Northamptonshire", OLD), ("leeds", GOOD.replace("two months", "2 months")),
                       ("E09000019", OLD.replace("Northamptonshire County Council", "Islington Council"))):
        (root / name).mkdir()
        (root / name / "page.md").write_text(text)
    (root / "Northamptonshire").rename(root / "north-northamptonshire")
    out = tmp_path_factory.mktemp("study")
    r = run_cli("study", root, "-o", out)
    assert r.returncode == 0, r.stderr
    return out / "report.html", json.loads((out / "study.json").read_text())


def test_report_loads_renders_and_filters(browser, report, tmp_path):
    from PIL import Image
    from selenium.webdriver.common.by import By

    path, data = report
    browser.get(path.resolve().as_uri())
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    rows = browser.find_elements(By.CSS_SELECTOR, "#heatmap tbody tr")
    assert len(rows) == len(data["authorities"]) == 4
    assert browser.find_element(By.ID, "shown").text == "4 of 4 authorities shown"
    # the screenshot: the size asked for, and the heat map's green (yes) and red (no) cells on it
    shot = tmp_path / "report.png"
    browser.save_screenshot(str(shot))
    img = Image.open(shot).convert("RGB")
    assert img.size[0] >= 1200 and img.size[1] >= 800
    colours = {c for _, c in img.getcolors(1 << 20)}
    assert (0xCF, 0xE8, 0xCF) in colours and (0xF4, 0xCC, 0xCC) in colours
    # an authority's section renders, with its findings table
    section = browser.find_element(By.ID, "a-north-northamptonshire")
    assert "wrong-time-limit" in section.text and section.find_element(By.TAG_NAME, "table").is_displayed()
    # the filter: typing a name leaves only its row
    box = browser.find_element(By.ID, "filter")
    box.send_keys("leeds")
    visible = [r for r in browser.find_elements(By.CSS_SELECTOR, "#heatmap tbody tr") if r.is_displayed()]
    assert [r.find_element(By.TAG_NAME, "th").text for r in visible] == ["Leeds"]
    assert browser.find_element(By.ID, "shown").text == "1 of 4 authorities shown"
    box.clear()
    box.send_keys("x")  # an input event for the cleared box
    box.clear()
    # sorting by completeness puts the least complete first
    browser.get(path.resolve().as_uri())
    heads = browser.find_elements(By.CSS_SELECTOR, "#heatmap thead th button")
    [b for b in heads if b.text == "complete"][0].click()
    first = browser.find_elements(By.CSS_SELECTOR, "#heatmap tbody tr")[0].find_element(By.TAG_NAME, "th").text
    least = min(data["authorities"], key=lambda a: a["completeness"])["name"]
    assert first == least
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_the_report_of_england_in_the_browser(browser, england_study):
    """The report of all 153 authorities loads with no console error; the region filter works."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _said, out, r = england_study
    assert r.returncode == 0, r.stderr
    data = json.loads((out / "study.json").read_text())
    browser.get((out / "report.html").resolve().as_uri())
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert len(browser.find_elements(By.CSS_SELECTOR, "#heatmap tbody tr")) == 153
    assert browser.find_element(By.ID, "shown").text == "153 of 153 authorities shown"
    london = sum(1 for a in data["authorities"] if a["region"] == "London")
    assert london == 33  # 32 London boroughs and the City of London
    Select(browser.find_element(By.ID, "region")).select_by_value("London")
    assert browser.find_element(By.ID, "shown").text == f"{london} of 153 authorities shown"
    # an authority's own page beside the report opens too
    browser.get((out / "authorities" / "leeds.html").resolve().as_uri())
    assert "Leeds" in browser.find_element(By.TAG_NAME, "h2").text
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]

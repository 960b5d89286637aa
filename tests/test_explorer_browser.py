"""Issue 23 item 3: the explorer in a real headless browser (tests/browser.py's Chromium, or skipped
with the reason), served by `sendkg serve` on 127.0.0.1 and built as static files: it loads with no
console error, a decision's diagram renders (an SVG with a node for each of its routes), the
calculator gives the same dates as `sendkg deadlines` for the same inputs (the expected dates come
from running the command here, never written down), and an answer's query opens in the SPARQL
editor and runs there."""

import json
import shlex

import pytest

from conftest import run_cli
from tests.browser import browser, console_errors  # noqa: F401  (the shared headless Chromium)
from test_serve_safe import serve

DECISION = "plan-contents"  # its routes have a mediation certificate and a Tribunal appeal: two anchors


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("explorer-serve")) as (base, _proc, _err):
        yield base


def cli_json(*args):
    r = run_cli(*args, "--format", "json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def wait_for(driver, css, seconds=30):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def set_date(driver, element_id, day):
    driver.execute_script("document.getElementById(arguments[0]).value = arguments[1]", element_id, day)


def check_diagram(driver, decision):
    from selenium.webdriver.common.by import By

    svg = driver.find_element(By.CSS_SELECTOR, "#diagram-box svg.routes-diagram")
    assert svg.is_displayed() and svg.size["width"] > 200 and svg.size["height"] > 200
    routes = cli_json("routes", decision)["routes"]
    for r in routes:  # every route is a node of the diagram, with its label drawn
        node = svg.find_element(By.ID, f"node-{r['id']}")
        assert r["label"].split()[0] in node.text, (r["id"], node.text)
    assert len(svg.find_elements(By.CSS_SELECTOR, "g.edge")) >= len([r for r in routes if not r["any_stage"]])


def test_served_explorer_loads_and_lists_the_decisions(browser, server):  # noqa: F811
    from selenium.webdriver.common.by import By

    browser.get(server + "/")  # the server's front page leads to the explorer
    assert browser.current_url == server + "/explorer/"
    wait_for(browser, "#decisions")
    assert not console_errors(browser)
    shown = [a.get_attribute("href").rsplit("/", 1)[1].removesuffix(".html")
             for a in browser.find_elements(By.CSS_SELECTOR, "#decisions tbody a")]
    assert shown == [d["id"] for d in cli_json("decisions")]


def test_served_diagram_and_calculator_give_the_commands_dates(browser, server):  # noqa: F811
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/explorer/decision/{DECISION}.html")
    wait_for(browser, "#diagram-box svg")
    assert not console_errors(browser)
    check_diagram(browser, DECISION)
    set_date(browser, "ev-decision", "2026-03-02")
    set_date(browser, "ev-certificate", "2026-04-20")
    set_date(browser, "ev-reasons", "2026-09-01")  # the Tribunal's reasons: an --event of its own
    set_date(browser, "calc-today", "2026-03-10")
    browser.find_element(By.ID, "calc-go").click()
    wait_for(browser, "#calc-table")
    got = [(tr.get_attribute("data-id"), tr.get_attribute("data-date") or None)
           for tr in browser.find_elements(By.CSS_SELECTOR, "#calc-table tbody tr")]
    want = cli_json("deadlines", DECISION, "--decision-date", "2026-03-02", "--certificate-date", "2026-04-20",
                    "--event", "reasons=2026-09-01", "--today", "2026-03-10")
    assert got == [(d["id"], d["date"]) for d in want["deadlines"]]
    assert dict(got)["tribunal-appeal"] and dict(got)["permission-from-ftt"]  # dates counted from both kinds of field
    # the page says the command that gives the same answer, and it does
    command = browser.find_element(By.ID, "calc-command").text
    assert command.startswith(f"sendkg deadlines {DECISION} --decision-date 2026-03-02")
    assert cli_json(*shlex.split(command)[1:-2]) == want
    assert not console_errors(browser)
    # a wrong input is one line on the page, not an exception (the 400 answer is the only error logged)
    set_date(browser, "calc-today", "")
    set_date(browser, "ev-reasons", "")
    set_date(browser, "ev-certificate", "2026-02-20")  # a certificate before the decision it follows
    browser.find_element(By.ID, "calc-go").click()
    wait_for(browser, "#calc-out p.error")  # not the table the first answer left on the page
    r = run_cli("deadlines", DECISION, "--decision-date", "2026-03-02", "--certificate-date", "2026-02-20")
    assert r.returncode == 2, r.stderr
    assert browser.find_element(By.CSS_SELECTOR, "#calc-out p.error").text in r.stderr
    assert all("api/deadlines" in e["message"] and "400" in e["message"] for e in console_errors(browser))


def test_served_as_of_control_and_the_sparql_editor(browser, server):  # noqa: F811
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/explorer/decision/{DECISION}.html")
    wait_for(browser, "#as-of-form")
    set_date(browser, "as_of", "2024-06-01")
    browser.find_element(By.CSS_SELECTOR, "#as-of-form button").click()
    from selenium.webdriver.support.ui import WebDriverWait

    # the new page, not the old one's diagram: wait for the address the form goes to, then its diagram
    WebDriverWait(browser, 30).until(lambda d: "as_of=2024-06-01" in d.current_url)
    wait_for(browser, "#diagram-box svg")
    assert "as_of=2024-06-01" in browser.current_url
    assert browser.find_element(By.ID, "as_of").get_attribute("value") == "2024-06-01"
    check_diagram(browser, DECISION)
    # the routes query of this answer, into the editor, run at /query
    link = [a for a in browser.find_elements(By.CSS_SELECTOR, "#queries + p + ul a")
            if a.text == "queries/routes-for-decision.rq"][0]
    link.click()
    wait_for(browser, "#sparql")
    text = browser.find_element(By.ID, "sparql").get_attribute("value")
    assert "VALUES ?decision { <https://w3id.org/sendkg/id/decision/plan-contents> }" in text
    assert '"2024-06-01"^^<http://www.w3.org/2001/XMLSchema#date>' in text
    browser.find_element(By.ID, "run").click()
    wait_for(browser, "#result-table")
    from sendkg.model import Model

    rows = Model().store.run(text)[1]
    assert len(browser.find_elements(By.CSS_SELECTOR, "#result-table tbody tr")) == len(rows) > 0
    assert not console_errors(browser)


def test_static_explorer_without_a_server(browser, tmp_path):  # noqa: F811
    from selenium.webdriver.common.by import By

    out = tmp_path / "explorer"
    r = run_cli("explore", "-o", out, "--as-of", "2026-11-23")
    assert r.returncode == 0, r.stderr
    browser.get((out / "index.html").as_uri())
    wait_for(browser, "#decisions")
    assert not console_errors(browser)
    browser.find_element(By.LINK_TEXT, [d for d in cli_json("decisions") if d["id"] == DECISION][0]["label"]).click()
    wait_for(browser, "#diagram-box svg")
    assert not console_errors(browser)
    check_diagram(browser, DECISION)
    # without a server the calculator writes the command that counts the dates
    set_date(browser, "ev-decision", "2026-03-02")
    browser.find_element(By.ID, "calc-go").click()
    command = browser.find_element(By.ID, "calc-command").text
    assert command == f"sendkg deadlines {DECISION} --decision-date 2026-03-02 --as-of 2026-11-23 --format json"
    assert "sendkg serve" in browser.find_element(By.ID, "calc-out").text
    assert cli_json(*shlex.split(command)[1:-2])["deadlines"]
    # the editor shows the answer's query, and says how to run it
    [a for a in browser.find_elements(By.CSS_SELECTOR, "#queries + p + ul a") if a.text == "queries/route-parties.rq"][0].click()
    wait_for(browser, "#sparql")
    assert "VALUES ?route" in browser.find_element(By.ID, "sparql").get_attribute("value")
    assert not browser.find_elements(By.ID, "run")
    assert not console_errors(browser)


def test_the_built_in_layout_renders_without_graphviz(browser, tmp_path):  # noqa: F811
    """Where Graphviz is not installed the explorer lays the diagram out itself: it renders too."""
    from selenium.webdriver.common.by import By

    from sendkg.explorer import Explorer
    from sendkg.model import Model

    Explorer(Model(), served=False, engine="sendkg").build(tmp_path)
    browser.get((tmp_path / "decision" / f"{DECISION}.html").as_uri())
    wait_for(browser, "#diagram-box svg")
    assert not console_errors(browser)
    assert "Laid out by sendkg" in browser.find_element(By.TAG_NAME, "figcaption").text
    check_diagram(browser, DECISION)

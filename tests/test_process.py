"""The statutory time limits of the whole process (issue 10 section 2): the kinds of time limit they
need (a day of the calendar year, a period before an event, at once, alternative anchors, limits
under a condition), dates the law leaves unsettled given as a range, and bad input. The worked dates
themselves are scenarios in tests/scenarios/deadlines.toml, each with its regulation."""

import json
import subprocess
import sys
from datetime import date

import pytest

from sendkg import dates
from sendkg.deadlines import deadlines


@pytest.fixture(autouse=True, scope="module")
def _calendar(model):
    dates.use_calendar(model.calendar())


def _rows(model, decision, events, conditions=()):
    return {r["id"]: r for r in deadlines(model, decision, events, conditions)["deadlines"]}


# ---- limits that apply under a condition (SEND Regs 2014 reg 18(1)(a), (1)(b), (2))
def test_the_phase_transfer_limit_follows_the_kind_of_transfer(model):
    transfer = {"transfer": date(2027, 9, 1)}
    plain = _rows(model, "la-failure", transfer)
    # reg 18(1)(b): "in any other case", before 15 February; the other two do not apply
    assert plain["phase-transfer"]["date"] == "2027-02-14"
    assert "phase-transfer-post-16" not in plain and "post-16-move" not in plain
    assert "--condition to-post-16" in plain["phase-transfer"]["note"]
    # reg 18(1)(a): secondary school to a post-16 institution, before 31 March
    post16 = _rows(model, "la-failure", transfer, ["to-post-16"])
    assert "phase-transfer" not in post16 and post16["phase-transfer-post-16"]["date"] == "2027-03-30"
    # reg 18(2): between post-16 institutions, at least five months before
    move = _rows(model, "la-failure", transfer, ["post-16-move"])
    assert "phase-transfer" not in move and move["post-16-move"]["date"] == "2027-04-01"
    assert "at least 5 months before the transfer" in move["post-16-move"]["rule"]


def test_responses_to_recommendations_only_in_an_extended_appeal(model):
    """SI 2017/1306: recommendations are made only in an appeal that also concerns education, so the
    5 weeks for responses apply only with the condition with-education-appeal."""
    events = {"recommendations": date(2026, 7, 10)}
    with pytest.raises(Exception, match="not used"):  # without the condition no limit runs from it
        _rows(model, "health-social-care", events)
    rows = _rows(model, "health-social-care", events, ["with-education-appeal"])
    assert rows["recommendation-responses"]["date"] == "2026-08-14"


def test_an_extended_appeal_can_go_to_the_upper_tribunal(model):
    """The extended appeal is an appeal to the First-tier Tribunal (SI 2017/1306; audit row #14(e)),
    so the Upper Tribunal follows it."""
    plain = {r["id"] for r in model.routes("health-social-care")["routes"]}
    assert "upper-tribunal" not in plain
    answer = model.routes("health-social-care", ["with-education-appeal"])
    ut = next(r for r in answer["routes"] if r["id"] == "upper-tribunal")
    assert "tribunal-appeal" in ut["after"]


def test_the_icb_acts_on_health_only_mediation(model):
    """SEND Regs regs 35-37 (IPSEA): for health only, the integrated care board arranges mediation."""
    rows = _rows(model, "health-social-care", {"icb-told": date(2025, 12, 1)})
    assert rows["icb-arrange-mediation"]["actor"] == "integrated care board"
    assert rows["tell-icb"]["actor"] == "local authority"


# ---- alternative anchors (CFA 2014 s.44(1))
def test_the_annual_review_runs_from_the_latest_review(model):
    first = _rows(model, "la-failure", {"plan-made": date(2024, 3, 10)})["annual-review"]
    assert first["date"] == "2025-03-09" and first["anchor"] == "plan-made"
    later = _rows(model, "la-failure", {"plan-made": date(2024, 3, 10), "last-review": date(2025, 2, 1)})
    assert later["annual-review"]["date"] == "2026-01-31" and later["annual-review"]["anchor"] == "last-review"
    none = _rows(model, "la-failure", {"request": date(2026, 1, 5)})["annual-review"]
    assert none["date"] is None and "--event plan-made=" in none["note"] and "--event last-review=" in none["note"]


def test_a_review_cannot_come_before_the_plan(model):
    with pytest.raises(Exception, match="cannot be before"):
        _rows(model, "la-failure", {"plan-made": date(2025, 3, 10), "last-review": date(2025, 1, 1)})


# ---- at once (reg 44(2); SEND18 "with immediate effect")
def test_at_once_is_due_on_the_day_of_the_order(model):
    row = _rows(model, "order-maintain", {"order": date(2026, 3, 2)})["order-maintain"]
    assert row["date"] == "2026-03-02" and "at once" in row["rule"]


# ---- dates the law leaves unsettled: a range, never a confident date
def test_ut_rule_on_a_month_gives_a_range(model):
    """UT Rules r.12(3): August is not counted; the 1 month of r.21(3)(b) is not a count of days."""
    row = _rows(model, "refuse-assessment", {"reasons": date(2026, 6, 20),
                                             "permission-refused": date(2026, 7, 20)})["permission-from-ut"]
    assert row["date"] is None
    assert (row["earliest"], row["latest"]) == ("2026-08-20", "2026-09-21")
    assert "UT Rules r.12(2)-(3)" in [s["citation"] for s in row["sources"]]


def test_rows_with_a_date_have_no_range(model):
    rows = _rows(model, "order-assess", {"order": date(2026, 3, 2)})
    assert all("earliest" not in r for r in rows.values())


def test_count_back_and_fixed_days():
    # reg 18(2): at least 5 months before 31 July; no 31 February, so the last day of February
    assert dates.count_back(date(2026, 7, 31), 5, "month").date == date(2026, 2, 28)
    assert dates.count_back(date(2026, 1, 20), 2, "week").date == date(2026, 1, 6)
    # reg 18(1)(b): "before 15 February" of the transfer's calendar year
    assert dates.before_day(date(2028, 9, 4), 2, 15).date == date(2028, 2, 14)
    # a leap year: before 1 March 2028 is 29 February
    assert dates.before_day(date(2028, 9, 4), 3, 1).date == date(2028, 2, 29)


# ---- the command line
def test_range_in_json_table_and_ics(cli, tmp_path):
    args = ["deadlines", "refuse-assessment", "--event", "reasons=2026-06-20", "--event", "permission-refused=2026-07-20"]
    data = json.loads(cli(*args, "--format", "json").stdout)
    row = next(r for r in data["deadlines"] if r["id"] == "permission-from-ut")
    assert row["date"] is None and row["earliest"] == "2026-08-20" and row["latest"] == "2026-09-21"
    table = cli(*args).stdout
    assert "between Thu 20 Aug 2026 and Mon 21 Sep 2026 (unsettled)" in table
    out = tmp_path / "d.ics"
    assert cli(*args, "--format", "ics", "-o", out).returncode == 0
    ics = out.read_text().replace("\r\n ", "")  # unfolded
    assert "DTSTART;VALUE=DATE:20260820" in ics  # the earliest reading, the safe one
    assert "SUMMARY:Unsettled\\, earliest reading of the last day: permission to appeal" in ics


def test_order_assess_table(cli):
    r = cli("deadlines", "order-assess", "--event", "order=2026-03-02")
    assert r.returncode == 0, r.stderr
    assert "Mon 16 Mar 2026  local authority tells the family it will assess" in r.stdout
    assert "SEND Regs 2014 reg 44(2)(b)" in r.stdout


@pytest.mark.parametrize("args,words", [
    (["order-assess", "--event", "transfer=2026-01-01"], ["event 'transfer'", "not used", "order-assess", "order"]),
    (["unopposed-appeal", "--event", "order=2026-01-01"], ["not used", "la-notice"]),
    (["order-assess", "--condition", "to-post-16"], ["to-post-16", "does not apply", "la-failure"]),
    (["la-failure", "--condition", "to-post16"], ["unknown condition", "to-post-16"]),
    (["la-failure", "--event", "plan-made=2025-03-10", "--event", "last-review=2024-01-01"], ["cannot be before"]),
])
def test_bad_input(cli, args, words):
    from test_cli import one_line_error

    one_line_error(cli("deadlines", *args), *words)


# ---- the date engine reads no model (issue 13 item 7)
def test_dates_does_not_import_the_model():
    code = ("import sys, sendkg.dates as d; assert 'sendkg.model' not in sys.modules, 'import circle'\n"
            "try:\n    d.calendar()\nexcept d.SendkgError as e:\n    print('refused:', e)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("refused:") and "use_calendar" in r.stdout


# ---- the shapes accept the new kinds and refuse a limit with no length
def test_a_limit_with_no_period_is_refused(tmp_path):
    from test_shapes import check

    r = check(tmp_path, """ex:t a skg:TimeLimit ; dcterms:identifier "no-period" ; rdfs:label "x" ;
        rdfs:comment "c" ; dcterms:source src:cfa-s57 ; skg:countingMode skg:Within ; skg:anchor ev:order-sent .""")
    assert not r.conforms
    assert any(f.focus == "https://example.org/t" for f in r.findings)


# ---- the manual's deadlines excerpts (shown with "..." so tests/test_readme.py skips them) are real
def test_readme_deadline_excerpts_are_real_output(cli):
    import re
    import shlex

    from conftest import manual

    readme = manual()
    checked = 0
    for block in re.findall(r"^```[a-z]*\n(.*?)^```", readme, flags=re.S | re.M):
        for part in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, expected = part.partition("\n")
            lines = expected.rstrip("\n").split("\n")
            if not command.startswith("sendkg deadlines") or "..." not in lines:
                continue
            got = [line.rstrip() for line in cli(*shlex.split(command)[1:]).stdout.splitlines()]
            at = 0
            for chunk in "\n".join(lines).split("\n...\n"):
                want = [line.rstrip() for line in chunk.strip("\n.").split("\n")]
                for start in range(at, len(got) - len(want) + 1):
                    if got[start:start + len(want)] == want:
                        at = start + len(want)
                        break
                else:
                    raise AssertionError(f"{command}: not in the real output, in order:\n" + "\n".join(want))
            checked += 1
    assert checked >= 3  # la-failure (request), la-failure (phase transfer), refuse-assessment (UT range)


def test_the_social_care_procedure_comes_before_the_ombudsman(model):
    """SI 2006/1738 reg 19(4) (the review panel, the last stage) and LGA 1974 s.26(5) (the body first)."""
    routes = {r["id"]: r for r in model.routes("health-social-care")["routes"]}
    assert "social-care-complaint" in routes["ombudsman-complaint"]["after"]
    limit = routes["social-care-complaint"]["time_limit_details"][0]
    assert limit["parts"][0]["unit"] == "working-day" and limit["parts"][0]["duration"] == 30


# ---- the engine's laws for periods before an event (reg 18(2): "at least five months before")
from datetime import timedelta  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(2002, 1, 1), max_value=date(2033, 12, 31)), st.integers(min_value=1, max_value=24))
def test_at_least_n_months_before_is_the_latest_day_that_leaves_them(anchor, n):
    out = dates.count_back(anchor, n, "month")
    last = out.date or out.latest
    assert dates.add_months(last, n)[0] <= anchor  # acting on the last day leaves the whole period
    assert dates.add_months(last + timedelta(days=1), n)[0] > anchor  # a day later does not
    # where the readings differ (near a month's end), no single date: the corresponding date counted
    # back is the earlier end of the range
    if out.date is None:
        assert out.earliest == dates.add_months(anchor, -n)[0] < out.latest and "unsettled" in out.notes[0]

"""The four false statements of the 2026-12 legal audit (row 6) are flagged, each with its legal source,
and their correct forms are not (issue 19). The law: HESC Rules r.12(3) applies in special educational
needs cases only since 21 July 2020; an independent review panel may uphold, recommend reconsideration
or quash and direct reconsideration, never direct reinstatement (Exclusion Regs regs 7, 16, 25 and
Sch 1); LGA 1974 Sch 5 para 5(2) keeps a school's internal discipline from the Ombudsman; SEND Regs
2014 reg 25(1) gives 15 days to decide on a re-assessment. Also who may request an assessment (CFA
2014 s.36(1)) and the 20 weeks counted from the request (reg 13(2))."""

import pytest

from sendkg.lint import lint

WRONG = [
    ("A disability discrimination claim must be made within 6 months; days in August are not counted.",
     "wrong-scope", "HESC Rules r.12(3) as amended in 2020"),
    ("You have six months to bring a discrimination claim. August is not counted.",
     "wrong-scope", "HESC Rules r.12(3) as amended in 2020"),
    ("The independent review panel can order the school to reinstate your child.", "wrong-power", "Exclusion Regs regs 7, 16 and 25"),
    ("The Ombudsman can investigate how the school disciplines your child.", "wrong-power", "LGA 1974 Sch 5 para 5(2)"),
    ("The council must decide whether to reassess within 6 weeks of your request.", "wrong-time-limit", "SEND Regs 2014 reg 25(1)"),
    ("Any practitioner can request an EHC needs assessment.", "wrong-actor", "CFA 2014 s.36(1)"),
    ("The final plan must be issued within 20 weeks of the decision to assess.", "wrong-anchor", "SEND Regs 2014 reg 13"),
    ("The Tribunal cannot order the school to reinstate your child.", "wrong-power", "EqA 2010 Sch 17 para 5"),
]
RIGHT = [
    "A disability discrimination claim must be made within 6 months; August counts like any other month.",
    "For an SEN appeal, you have 28 days from the reasons being sent to ask for permission to appeal, not counting August.",
    "The independent review panel cannot order the school to reinstate your child.",
    "The panel can uphold the exclusion, recommend that the governors reconsider, or quash the decision and direct them to reconsider.",
    "The Tribunal can order the school to reinstate your child if it finds disability discrimination.",
    "The Ombudsman cannot investigate how a school disciplines its pupils.",
    "The council must tell you whether it will re-assess within 15 days of receiving a request for a re-assessment.",
    "You, your child's school or your young person can request an EHC needs assessment.",
    "The 20 weeks are counted from the date of the request, not from the decision to assess.",
]


def _lint(tmp_path, text):
    page = tmp_path / "page.md"
    page.write_text(text + "\n")
    (report,) = lint([page])
    return [f for f in report.findings if f.severity in ("warning", "violation")]


@pytest.mark.parametrize("text,code,source", WRONG, ids=[w[1] + "-" + str(i) for i, w in enumerate(WRONG)])
def test_the_false_statement_is_flagged_with_its_source(tmp_path, text, code, source):
    found = _lint(tmp_path, text)
    assert [f.code for f in found] == [code], [(f.code, f.message) for f in found]
    assert source in found[0].source, found[0].source


@pytest.mark.parametrize("text", RIGHT)
def test_the_correct_form_is_not_flagged(tmp_path, text):
    assert _lint(tmp_path, text) == []


def test_the_codes_are_explained():
    from sendkg.lintconfig import rules

    known = rules()
    for code in ("wrong-power", "wrong-scope"):
        r = known[code]
        assert r["summary"] and r["sources"] and "violation" in r["severities"], r


def test_the_august_rule_is_judged_by_the_law_of_the_page_date(tmp_path):
    # Before 21 July 2020 HESC r.12(3) applied to disability discrimination in schools cases too.
    from datetime import date

    page = tmp_path / "page.md"
    page.write_text(WRONG[0][0] + "\n")
    (old,) = lint([page], as_of=date(2019, 6, 1))
    assert not [f for f in old.findings if f.code == "wrong-scope"]
    (now,) = lint([page], as_of=date(2026, 12, 7))
    assert [f.code for f in now.findings if f.code == "wrong-scope"] == ["wrong-scope"]

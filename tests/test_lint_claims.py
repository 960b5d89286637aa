"""`sendkg lint` on wording it has not been tuned to (issue 11): obligation, actor, scope, citation
and body claims read with the cues in ontology/england/cues-claims.ttl and checked against the
statements of ontology/england/statements.ttl; fair omissions on a page and over a site.

The sentences here are our own and are deliberately not those of the development set
(tests/scenarios/lint-dev/), so that they test the reading, not the set."""

from pathlib import Path

import pytest

from sendkg.lint import lint

ALARMS = {"warning", "violation"}

# (sentence, expected codes at warning or violation, the law the expectation rests on)
CASES = [
    # the mediation step: only the adviser and the certificate are required (CFA 2014 s.55)
    ("Every family is required to go to mediation before lodging an appeal.", {"mediation-compulsory"}, "CFA 2014 s.55"),
    ("Before you appeal you will need to attend a mediation meeting with the council.", {"mediation-compulsory"}, "CFA 2014 s.55"),
    ("You will have to try disagreement resolution before you can appeal.", {"mediation-compulsory"}, "CFA 2014 s.57; CoP 11.6"),
    ("You must speak to a mediation adviser first, but whether you then mediate is your choice.", set(), "CFA 2014 s.55"),
    ("Mediation is entirely voluntary.", set(), "CFA 2014 s.55; CoP 11.13"),
    ("The council must offer disagreement resolution to families.", set(), "CFA 2014 s.57 (a duty of the council)"),
    ("Parents who would rather not speak to an adviser can send their appeal straight in.", set(),
     "not read as a claim: no cue says the adviser is optional here (a known limit, not an error)"),
    ("If you do not want mediation advice you can still register your appeal.", {"appeal-without-certificate"}, "CFA 2014 s.55"),
    ("You can't register an appeal without a mediation certificate.", set(), "CFA 2014 s.55 (the negation turns 'without' round)"),
    ("If your appeal is only about section I, you do not need a mediation certificate.", set(), "CFA 2014 s.55 (the exception)"),
    ("No certificate is needed where the mediation is only about health or social care.", set(),
     "CFA 2014 s.55 (health and social care have no mediation-advice step)"),
    # who does what (CFA 2014 ss.51, 55-56; SEND Regs 2014 regs 34, 35-41)
    ("The local authority will give you a mediation certificate.", {"wrong-actor"}, "CFA 2014 s.55; SEND Regs 2014 reg 34"),
    ("Your mediator will present your case to the Tribunal.", {"wrong-actor"}, "CFA 2014 s.51(1)"),
    ("The mediation adviser will give you a certificate within three working days.", set(), "SEND Regs 2014 reg 34"),
    ("The mediator, who is independent of the council, runs the mediation.", set(), "CFA 2014 s.56"),
    # bodies
    ("Appeals are heard by the council's own Tribunal panel.", {"wrong-body"}, "CFA 2014 s.51(1); HESC Rules r.1"),
    ("The Tribunal is independent of the council.", set(), "HESC Rules r.1"),
    # scope: the exception, appeal lists, health and social care (CFA 2014 ss.51, 55; SI 2017/1306)
    ("You do not need a certificate if you are only appealing about the named school.", {"incomplete-exception"}, "CFA 2014 s.55"),
    ("You do not need a certificate if you are only appealing about section I.", set(), "CFA 2014 s.55"),
    ("You can appeal against a refusal to assess or a decision to cease the plan.", {"incomplete-appeal-list"}, "CFA 2014 s.51(2)"),
    ("You can appeal to the Tribunal about the social care provision in the plan.", {"health-care-appealable"}, "SI 2017/1306"),
    ("When you appeal about education, the Tribunal can also make recommendations about health and social care.", set(),
     "SI 2017/1306"),
    # citations
    ("Regulation 55 of the Children and Families Act sets this out.", {"wrong-instrument"}, "CFA 2014 (sections, not regulations)"),
    ("The mediation adviser's duties are in section 34 of the SEND Regulations 2014.", {"wrong-instrument"}, "SEND Regs 2014 (regulations)"),
    ("Disagreement resolution is set out in section 57 of the Children and Families Act 2014.", set(), "CFA 2014 s.57"),
    ("Disagreement resolution is set out in section 42 of the Children and Families Act 2014.", {"wrong-citation"}, "CFA 2014 s.57"),
    # time limits in words (HESC Rules r.20(1)(c); SEND Regs 2014 regs 33-34)
    ("You have sixty days from the date of the decision letter to register your appeal.", {"wrong-time-limit"}, "HESC Rules r.20(1)(c)"),
    ("You have one month from the date of your mediation certificate to register your appeal.", {"partial-time-limit"},
     "HESC Rules r.20(1)(c): two months from the decision or one from the certificate, whichever is later"),
    ("Register your appeal within two months of the decision letter's date, or one month from the certificate's date if that is later.",
     set(), "HESC Rules r.20(1)(c)"),
    ("Contact the mediation adviser within two months of the day the letter arrives.", {"wrong-anchor"}, "SEND Regs 2014 reg 33"),
    ("Over the last 12 months we helped 300 families to appeal.", set(), "not a time limit"),
    ("You can appeal within two months of the decision or one month of the certificate, whichever comes first.",
     {"wrong-time-limit"}, "HESC Rules r.20(1)(c): whichever is later"),
    # read the grammar, not only the words: done to the family, the council as "we", a dummy "it"
    ("You must be offered mediation.", set(), "CFA 2014 s.53 (a duty of the council)"),
    ("We must arrange mediation within 30 days of you telling us you want it.", set(), "SEND Regs 2014 regs 35-41"),
    ("It is a legal requirement to contact a mediation adviser before appealing.", set(), "CFA 2014 s.55"),
    ("Mediation is a necessary step before any appeal.", {"mediation-compulsory"}, "CFA 2014 s.55"),
    ("The SEN team will send you your mediation certificate.", {"wrong-actor"}, "CFA 2014 s.55; SEND Regs 2014 reg 34"),
    ("You can appeal about health provision on its own.", {"health-care-appealable"}, "SI 2017/1306"),
]


@pytest.fixture(scope="module")
def case_reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("claims")
    paths = []
    for i, (text, _codes, _law) in enumerate(CASES):
        paths.append(folder / f"c{i:02d}.txt")
        paths[-1].write_text(text + "\n", encoding="utf-8")
    return {Path(r.path).name: r for r in lint(paths)}


@pytest.mark.parametrize("i", range(len(CASES)), ids=[c[0][:48] for c in CASES])
def test_sentence_claims(case_reports, i):
    text, codes, law = CASES[i]
    r = case_reports[f"c{i:02d}.txt"]
    got = {f.code for f in r.findings if f.severity in ALARMS}
    assert got == codes, (text, law, [(f.code, f.message) for f in r.findings])


def test_finding_quotes_the_page_names_its_law_and_points_at_the_words(tmp_path):
    page = tmp_path / "p.txt"
    page.write_text("# Mediation\n\nAll parents must go to mediation before they appeal.\n")
    (r,) = lint([page])
    (f,) = [f for f in r.findings if f.code == "mediation-compulsory"]
    # the words "must go to mediation" start at column 13 of line 3
    assert (f.line, f.column, f.severity) == (3, 13, "violation")
    assert "must go to mediation" in f.message and "optional" in f.message
    assert "CFA 2014 s.55" in f.source  # the statement's own source


CORRECT_PAGE = """# If you disagree with an EHC plan decision

Our SENDIASS gives free, impartial advice.

Before you appeal you must contact a mediation adviser, within two months of the date on the
decision letter. You do not have to go to mediation: you can tell the adviser you do not want it,
and they will send you a certificate within 3 working days. If you do want mediation, the council
must arrange it within 30 days, and the mediator will give you a certificate within 3 working days
after it ends.

If your appeal is only about section I (the school named, its type, or that none is named), you do
not need a certificate.

You can appeal to the First-tier Tribunal (SEND), which is independent of the council, within two
months of the date of the decision letter or one month from the date of the certificate, whichever
is later.
"""


def test_a_correct_page_in_our_own_words_gives_no_warning(tmp_path):
    """CFA 2014 ss.32, 51, 55; SEND Regs 2014 regs 33-34; HESC Rules r.20(1)(c)."""
    page = tmp_path / "good.md"
    page.write_text(CORRECT_PAGE)
    (r,) = lint([page])
    assert not [f for f in r.findings if f.severity in ALARMS], [(f.line, f.code, f.message) for f in r.findings]


def test_omissions_are_info_on_a_page_and_warnings_over_a_site(tmp_path):
    """A page about appeals that does not state the time limit (HESC Rules r.20(1)(c)): info on the
    page alone; over a site whose other page does not state it either, a warning for the site; a
    page that says it is one part of a guide is not judged for it."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "appeals.md").write_text("# Appeals\n\nYou can appeal to the Tribunal. Our SENDIASS can help.\n")
    (site / "contact.md").write_text("# Contact us\n\nPhone us on 01234 567890.\n")
    (r,) = lint([site / "appeals.md"])
    assert {(f.code, f.severity) for f in r.findings if f.code == "missing-tribunal-time-limit"} == {
        ("missing-tribunal-time-limit", "info")}
    reports = lint(sorted(site.glob("*.md")), site=str(site))
    whole = next(r for r in reports if r.path == str(site))
    assert ("missing-tribunal-time-limit", "warning") in {(f.code, f.severity) for f in whole.findings}
    assert not [f for r in reports if r.path != str(site) for f in r.findings if f.code.startswith("missing-")]
    partial = tmp_path / "part.md"
    partial.write_text("# Appeals guide, part 2 of 4\n\nYou can appeal to the Tribunal. Our SENDIASS can help.\n")
    (r,) = lint([partial])
    assert not [f for f in r.findings if f.code.startswith("missing-")]


def test_site_option_of_the_cli(cli, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.html").write_text("<p>You can appeal to the Tribunal. Our SENDIASS can help.</p>")
    r = cli("lint", "--site", site)
    assert r.returncode == 0, r.stderr  # warnings only
    assert f"{site}:1:1: warning missing-tribunal-time-limit" in r.stdout
    bad = cli("lint", "--site", tmp_path / "nowhere")
    assert bad.returncode == 2 and bad.stderr.startswith("sendkg: error: ") and "not a folder" in bad.stderr

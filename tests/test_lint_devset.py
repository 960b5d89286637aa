"""The lint development set's own integrity (issue 11): every file parses, ids are unique, every code
and severity is one the set's README defines, every item names its pattern and the law it rests on,
the set is as large as the issue asks, and every pattern of the issue's list has sentences in it.
These tests check the measuring stick, not the linter (benchmarks/lint_accuracy.py scores the linter)."""

import re
import tomllib
from pathlib import Path

import pytest

DEV = Path(__file__).resolve().parent / "scenarios" / "lint-dev"
README = (DEV / "README.md").read_text()
SENTENCE_FILES = sorted(DEV.glob("sentences-*.toml"))
SENTENCES = [s for f in SENTENCE_FILES for s in tomllib.loads(f.read_text())["sentence"]]
PAGES = tomllib.loads((DEV / "pages" / "expected.toml").read_text())["page"]

# The codes of the set's README with the severity each must be expected at; the omission codes are a
# warning over a whole site and an info on one page.
SEVERITY = {
    "wrong-time-limit": {"violation"},
    "wrong-anchor": {"warning"},
    "wrong-citation": {"violation"},
    "superseded-term": {"warning"},
    "quoted-superseded-term": {"info"},
    "missing-sendiass": {"warning", "info"},
    "missing-dr-provider": {"warning", "info"},
    "missing-mediation-advice": {"warning", "info"},
    "missing-tribunal-time-limit": {"warning", "info"},
    "missing-section-i-exception": {"warning", "info"},
    "no-routes": {"warning"},
    "mediation-compulsory": {"violation"},
    "appeal-without-certificate": {"violation"},
    "wrong-actor": {"violation"},
    "partial-time-limit": {"warning"},
    "wrong-instrument": {"violation"},
    "incomplete-exception": {"warning"},
    "incomplete-appeal-list": {"warning"},
    "health-care-appealable": {"violation"},
    "wrong-body": {"violation"},
    # issue 19 (tests/scenarios/lint-real/README.md)
    "wrong-power": {"violation"},
    "wrong-scope": {"violation", "warning"},
}
PATTERNS = (set(re.findall(r"`([a-z-]+)`", README.split("Patterns (use these names", 1)[1])) - {"pattern"}) | set(SEVERITY)


def _expects(items):
    return [e for item in items for e in item["expect"]]


def test_every_file_parses_and_is_not_empty():
    assert SENTENCE_FILES, "no sentences-*.toml"
    for f in SENTENCE_FILES:
        assert tomllib.loads(f.read_text())["sentence"], f.name
    assert PAGES


def test_ids_and_page_files_are_unique():
    ids = [s["id"] for s in SENTENCES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    files = [p["file"] for p in PAGES]
    assert len(files) == len(set(files))


def test_the_readme_defines_every_code_used():
    # A code the README does not list cannot be scored; the README is the set's contract.
    for code in SEVERITY:
        assert f"`{code}`" in README, code
    for e in _expects(SENTENCES) + _expects(PAGES):
        assert e["code"] in SEVERITY, e


def test_every_severity_is_the_codes_own():
    for item in SENTENCES + PAGES:
        for e in item["expect"]:
            assert e["severity"] in SEVERITY[e["code"]], (item.get("id", item.get("file")), e)


def test_every_item_has_its_pattern_and_its_law():
    for item in SENTENCES + PAGES:
        name = item.get("id", item.get("file"))
        assert item["pattern"] in PATTERNS or item["pattern"].startswith("correct-"), (name, item["pattern"])
        assert item["law"].strip(), name
        assert set(item) <= {"id", "file", "pattern", "text", "context", "expect", "law", "note", "about"}, name


def test_sentences_expect_no_omission_findings():
    # An omission is judged over a page or a site, never over one sentence (README).
    for s in SENTENCES:
        assert not any(e["code"].startswith("missing-") or e["code"] == "no-routes" for e in s["expect"]), s["id"]


def test_unsettled_and_conservative_labels_say_why():
    # Where the law or the sources are unsettled (facts.md section 7) the label is conservative and a
    # note says why.
    for s in SENTENCES:
        if s["pattern"] == "unsettled":
            assert s["expect"] == [] and s.get("note"), s["id"]


def test_the_set_is_large_enough_and_mostly_balanced():
    assert len(SENTENCES) >= 300
    clean = [s for s in SENTENCES if all(e["severity"] == "info" for e in s["expect"])]
    # About 40% correct sentences (no warning or violation expected), so that false alarms are measured.
    assert 0.35 <= len(clean) / len(SENTENCES) <= 0.55, len(clean) / len(SENTENCES)
    assert len(PAGES) >= 12


def test_pages_exist_are_short_and_their_lines_are_real():
    kinds = {"md": 0, "html": 0}
    for p in PAGES:
        path = DEV / p["file"]
        assert path.is_file(), p["file"]
        kinds[path.suffix.lstrip(".")] += 1
        lines = path.read_text().splitlines()
        assert 20 <= len(lines) <= 80, (p["file"], len(lines))
        for e in p["expect"]:
            assert 1 <= e["line"] <= len(lines), (p["file"], e)
            assert lines[e["line"] - 1].strip(), (p["file"], e)
    assert kinds["md"] and kinds["html"]


def test_page_kinds_the_issue_asks_for():
    correct = [p for p in PAGES if p["pattern"] == "correct-page"]
    partial = [p for p in PAGES if p["pattern"] in {"partial-page", "off-topic-page"}]
    # A correct page gives no warning or violation (an info, e.g. for a quotation, is allowed).
    assert len(correct) >= 4 and all(e["severity"] == "info" for p in correct for e in p["expect"])
    # Excerpts, contact pages and pages on another subject get no omission finding at all.
    assert len(partial) >= 3
    for p in partial:
        assert not any(e["code"].startswith("missing-") for e in p["expect"]), p["file"]
    with_errors = [p for p in PAGES if len(p["expect"]) >= 3]
    assert len(with_errors) >= 3


# Each pattern of issue 11's list, with what must be in the set for it: a pattern name, or a regular
# expression over the texts of sentences expected to give a given code.
def _texts(code=None, pattern=None):
    return [s["text"] for s in SENTENCES
            if (code is None or any(e["code"] == code for e in s["expect"]))
            and (pattern is None or s["pattern"] == pattern)]


ISSUE_PATTERNS = [
    ("mediation said to be compulsory", "mediation-compulsory", r"must use a mediator|have to go through mediation"),
    ("DR or mediation a condition of appealing", "mediation-compulsory", r"disagreement resolution"),
    ("appeal without advice or certificate", "appeal-without-certificate", r"straight to the Tribunal|mediation advice"),
    ("certificate without an adviser", "appeal-without-certificate", r"without (talking|speaking) to a mediation adviser|skip the conversation with the mediation adviser"),
    ("roles confused", "wrong-actor", r"present your appeal"),
    ("council issues the certificate", "wrong-actor", r"(council|local authority).*certificate"),
    ("SENDIASS as the adviser", "wrong-actor", r"SENDIASS.*mediation adviser"),
    ("ask a mediator for a certificate", "wrong-actor", r"ask a mediator"),
    ("30 days from the certificate", "wrong-time-limit", r"30 days from the date on the mediation certificate"),
    ("number in words", "wrong-time-limit", r"\b(thirty|sixty|three|six|fifteen) (days|months|weeks)"),
    ("60 days", "wrong-time-limit", r"\b(60|sixty) days"),
    ("whichever is longest", "wrong-time-limit", r"whichever is longest"),
    ("3 days for 3 working days", "wrong-time-limit", r"\b(3|three) days"),
    ("2 weeks for a mediation agreement", "wrong-time-limit", r"(2|two) weeks to carry out|within two weeks"),
    ("counted from receipt", "wrong-anchor", r"receiv"),
    ("one limb only", "partial-time-limit", r"one month|a month"),
    ("statement of SEN", "superseded-term", r"statement of special educational needs|Statements are"),
    ("School Action (Plus)", "superseded-term", r"School Action"),
    ("national trial", "superseded-term", r"national trial"),
    ("SENDIST", "superseded-term", r"SENDIST"),
    ("CCG", "superseded-term", r"Clinical Commissioning Group|CCG"),
    ("LGO", "superseded-term", r"Local Government Ombudsman"),
    ("Parent Partnership", "superseded-term", r"Parent Partnership"),
    ("ESFA / EFA", "superseded-term", r"Funding Agency|ESFA"),
    ("fixed-period exclusion", "superseded-term", r"fixed-(period|term) exclusion"),
    ("councils abolished since 2009", "superseded-term", r"County Council|Borough Council"),
    ("regulations cited as sections", "wrong-instrument", r"Sections? \d+.*Regulations"),
    ("a requirement put in the Code", "wrong-instrument", r"Code of Practice (requires|makes)"),
    ("Code paragraph for the wrong topic", "wrong-citation", r"11\.\d+"),
    ("section I exception incomplete", "incomplete-exception", r"name of the school"),
    ("incomplete appeal lists", "incomplete-appeal-list", r"appeal"),
    ("health or social care alone", "health-care-appealable", r"health"),
    ("Tribunal as the council's own", "wrong-body", r"(borough|council|authority).*(Tribunal|tribunal)|(Tribunal|tribunal).*(council|local authority)"),
    ("Ombudsman as last stage of a school complaint", "wrong-body", r"Ombudsman"),
]


@pytest.mark.parametrize("name,code,regex", ISSUE_PATTERNS, ids=[p[0] for p in ISSUE_PATTERNS])
def test_each_pattern_of_the_issue_has_sentences(name, code, regex):
    assert any(re.search(regex, t, re.I) for t in _texts(code=code)), name


CORRECT_COUNTERPARTS = {
    # Quotations and correct statements the issue names (build item 4), each at least once with no
    # warning or violation expected.
    "three kinds of disagreement": r"three kinds of disagreement",
    "no certificate for the health or care parts": r"no certificate is needed for the health or",
    "the date on the decision letter": r"date on the decision letter",
    "deemed certificate when mediation cannot be arranged in 30 days": r"cannot arrange mediation within 30 days",
    "quoted Code text": r"Code.*\"",
    "you do not have to go to mediation": r"do not have to go to mediation",
    "30 days to agree a date (unsettled)": r"30 days to agree a date",
}


@pytest.mark.parametrize("name,regex", CORRECT_COUNTERPARTS.items(), ids=list(CORRECT_COUNTERPARTS))
def test_correct_wording_the_issue_names_is_there_unflagged(name, regex):
    clean = [s["text"] for s in SENTENCES if all(e["severity"] == "info" for e in s["expect"])]
    assert any(re.search(regex, t, re.I) for t in clean), name


def test_every_wrong_family_has_correct_sentences_beside_it():
    # The linter must raise no false alarms: each family of errors has correct wording to be tested on.
    families = {
        "mediation-compulsory": "correct-mediation", "appeal-without-certificate": "correct-mediation",
        "wrong-actor": "correct-roles", "wrong-body": "correct-roles",
        "wrong-time-limit": "correct-time-limit", "wrong-anchor": "correct-time-limit",
        "partial-time-limit": "correct-time-limit", "superseded-term": "correct-terms",
        "incomplete-exception": "correct-exception", "incomplete-appeal-list": "correct-appeal-list",
        "health-care-appealable": "correct-health", "wrong-citation": "correct-citation",
        "wrong-instrument": "correct-citation", "wrong-power": "correct-powers", "wrong-scope": "correct-time-limit",
    }
    for wrong, right in families.items():
        assert len(_texts(pattern=wrong)) >= 5, wrong
        assert len(_texts(pattern=right)) >= 5, right

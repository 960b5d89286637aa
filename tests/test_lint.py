"""`sendkg lint`: claims read from pages, findings at line and column, planted errors found at the
right line in a copy of each seed, quotations told apart from the page's own words, bad input."""

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from sendkg.lint import lint

HERE = Path(__file__).resolve().parent
# The seeds, as copied into tests/seeds/ (so that these tests run on a clean clone); the copies are
# compared with ../shared/seeds/ whenever that folder is beside the project.
SEEDS = HERE / "seeds"
SHARED_SEEDS = HERE.parent.parent / "shared" / "seeds"
EXPECTED = tomllib.loads((HERE / "scenarios" / "lint.toml").read_text())["finding"]


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not beside the project")
def test_seed_copies_are_unchanged():
    shared = {p.name: p.read_bytes() for p in SHARED_SEEDS.glob("*.txt")}
    ours = {p.name: p.read_bytes() for p in SEEDS.glob("*.txt")}
    assert ours == shared


@pytest.fixture(scope="module")
def seed_reports():
    return {Path(r.path).name: r for r in lint(sorted(SEEDS.glob("*.txt")))}


@pytest.mark.parametrize("exp", EXPECTED, ids=[e["file"][:3] for e in EXPECTED])
def test_seed_findings_are_the_reviewed_ones(seed_reports, exp):
    got = sorted((f.line, f.column, f.code) for f in seed_reports[exp["file"]].findings)
    assert got == sorted(tuple(x) for x in exp["at"]), exp["why"]


def test_correct_sentences_give_no_finding(seed_reports):
    """Seed 000 line 121 states the appeal limit correctly ('two months from the date of that
    decision, or one month from the date of the mediation certificate, whichever is the later'):
    only the adviser's anchor on that line is flagged. Lines 119, 123, 125 (30 days), 127 are right."""
    r = seed_reports["000_dc0ff41c4349732d.txt"]
    assert [f.code for f in r.findings if f.line == 121] == ["wrong-anchor"]
    assert not [f for f in r.findings if f.line in (119, 123, 127, 137, 146)]
    assert not [f for f in r.findings if f.code in ("wrong-time-limit", "wrong-citation")]
    dudley = seed_reports["003_b4d58f8d5159bda6.txt"]
    assert not [f for f in dudley.findings if f.line == 18]  # 6 and 16 week decisions are right


PLANTED = [
    "Your time limit for appealing to the Tribunal is three months from the date of that decision.",
    "You can find out more about appeals to the Tribunal in the SEND Code of Practice sections 11.6 to 11.10.",
    "For health services, talk to the Clinical Commissioning Group.",
]


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_planted_errors_are_found_at_their_lines(tmp_path, seed):
    text = (SEEDS / seed).read_text(encoding="utf-8")
    lines = text.splitlines()
    copy = tmp_path / seed
    copy.write_text("\n".join(lines + [""] + PLANTED) + "\n", encoding="utf-8")
    n = len(lines) + 1
    (r,) = lint([copy])
    at = {(f.line, f.code) for f in r.findings}
    assert (n + 1, "wrong-time-limit") in at
    assert (n + 2, "wrong-citation") in at
    assert (n + 3, "superseded-term") in at
    wrong = next(f for f in r.findings if f.code == "wrong-time-limit")
    assert "3 months" in wrong.message and "2 months" in wrong.message and wrong.severity == "violation"


def test_planted_error_inside_a_seed_line(tmp_path):
    text = (SEEDS / "000_dc0ff41c4349732d.txt").read_text(encoding="utf-8")
    copy = tmp_path / "000.txt"
    copy.write_text(text.replace("is two months from the date of that decision", "is 6 weeks from the date of that decision"))
    (r,) = lint([copy])
    assert [(f.line, f.code) for f in r.findings if f.severity == "violation"] == [(121, "wrong-time-limit")]


HTML = """<!doctype html>
<html><head><title>Disagreements</title><style>p { color: red }</style></head>
<body>
<h1>If you disagree</h1>
<p>Talk to the school first. Our SENDIASS can help.</p>
<blockquote>In most cases this will be achieved by early years providers, schools, colleges,
local authorities and clinical commissioning groups (CCGs) working closely together.</blockquote>
<p>If you choose mediation the local authority (or Clinical Commissioning Group) must take part.
Your time limit for appealing to the Tribunal is <b>two months</b> from the date of that decision.</p>
</body></html>
"""


def test_html_positions_and_quotations(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(HTML)
    (r,) = lint([page])
    terms = [(f.line, f.column, f.code) for f in r.findings if "superseded" in f.code]
    # the blockquote's CCGs is a quotation (info); the page's own words are out of date (warning)
    assert (7, 23, "quoted-superseded-term") in terms
    assert (8, 52, "superseded-term") in terms
    assert not [f for f in r.findings if f.code == "wrong-time-limit"]  # two months is right


def test_html_table_row_is_one_statement(tmp_path):
    """A table row reads as one statement: the Tribunal's time limits in the cell beside 'Appeal to
    the Tribunal' are the appeal's (HESC Rules r.20(1)(c)), each period with its own anchor."""
    page = tmp_path / "table.html"
    page.write_text("<html><body><p>Our SENDIASS can help.</p>\n<table><tr><th>Step</th><th>Time limit</th></tr>\n"
                    "<tr><td>Appeal to the Tribunal</td><td>2 months from the decision, or 1 month from the date "
                    "of the mediation certificate</td></tr></table></body></html>\n")
    (r,) = lint([page])
    codes = {f.code for f in r.findings}
    assert "missing-tribunal-time-limit" not in codes and "wrong-time-limit" not in codes, r.findings


def test_markdown_quote_is_not_own_words(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Help\n\nThe SENDIASS can help.\n\n> clinical commissioning groups (CCGs) working closely together\n")
    (r,) = lint([page])
    assert [(f.line, f.code) for f in r.findings if "superseded" in f.code] == [(5, "quoted-superseded-term")]


def test_page_about_nothing_says_so(tmp_path):
    page = tmp_path / "menu.txt"
    page.write_text("Opening times\nMonday to Friday, 9am to 5pm\n")
    (r,) = lint([page])
    assert "no-routes" in {f.code for f in r.findings}


def test_cli_text_json_sarif(cli, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(HTML)
    t = cli("lint", page)
    assert t.returncode == 0, t.stderr  # warnings only
    assert f"{page}:8:52: warning superseded-term" in t.stdout
    assert t.stdout.strip().splitlines()[-1].startswith("1 file linted (0 clean) as of 2026-11-23: 0 violations")
    assert cli("lint", page, "--fail-on", "warning").returncode == 1
    j = json.loads(cli("lint", page, "--format", "json").stdout)
    f0 = j["files"][0]
    assert f0["path"] == str(page) and set(f0["findings"][0]) == {"line", "column", "severity", "code", "message", "source"}
    assert j["summary"]["files"] == 1
    s = json.loads(cli("lint", page, "--format", "sarif").stdout)
    assert s["version"] == "2.1.0" and s["runs"][0]["tool"]["driver"]["name"] == "sendkg"
    res = s["runs"][0]["results"]
    assert {"ruleId", "level", "message", "locations"} <= set(res[0])
    region = [x["locations"][0]["physicalLocation"]["region"] for x in res if x["ruleId"] == "superseded-term"][0]
    assert region == {"startLine": 8, "startColumn": 52}


def test_extract_turtle(cli, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(HTML)
    r = cli("extract", page, "--authority", "milton-keynes")
    assert r.returncode == 0, r.stderr
    assert "skg:TimeLimitClaim" in r.stdout and "tl:appeal-after-notice" in r.stdout
    assert 'dcterms:identifier "milton-keynes"' in r.stdout and 'skg:gssCode "E06000042"' in r.stdout
    import pyoxigraph as ox

    assert len(list(ox.parse(r.stdout.encode(), format=ox.RdfFormat.TURTLE))) > 20


def test_bad_input(cli, tmp_path):
    from test_cli import one_line_error

    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    one_line_error(cli("lint", binary), "a PNG file", "not a page")
    empty = tmp_path / "e.txt"
    empty.write_text("   \n")
    one_line_error(cli("lint", empty), "empty")
    latin = tmp_path / "l.txt"
    latin.write_bytes("Line one\nCaf\xe9 and mediation\n".encode("latin-1"))
    one_line_error(cli("lint", latin), f"{latin}:2:", "UTF-8")
    one_line_error(cli("lint", tmp_path / "missing.txt"), "no such file")
    one_line_error(cli("lint", binary, "--authority", "atlantis"), "unknown authority")


SENTENCES = tomllib.loads((HERE / "scenarios" / "lint-sentences.toml").read_text())["case"]
TIME_CODES = {"wrong-time-limit", "wrong-anchor"}


@pytest.fixture(scope="module")
def sentence_pages(tmp_path_factory):
    """Each sentence of scenarios/lint-sentences.toml as a one-line page; linted and read together."""
    from sendkg.lint import extract_claims

    folder = tmp_path_factory.mktemp("sentences")
    paths = []
    for i, case in enumerate(SENTENCES):
        paths.append(folder / f"case-{i:02d}.txt")
        paths[-1].write_text(case["text"] + "\n", encoding="utf-8")
    reports = {Path(r.path).name: r for r in lint(paths)}
    quads, _ = extract_claims(paths)
    limits: dict[str, list[str]] = {}
    docs = {q.subject.value: q.object.value for q in quads if q.predicate.value.endswith("#sourceFile")}
    in_doc = {q.subject.value: docs[q.object.value] for q in quads if q.predicate.value.endswith("#inDocument")}
    for q in quads:
        if q.predicate.value.endswith("#aboutLimit"):
            limits.setdefault(Path(in_doc[q.subject.value]).name, []).append(q.object.value.rsplit("/", 1)[-1])
    return reports, limits


@pytest.mark.parametrize("i", range(len(SENTENCES)), ids=[c["name"][:50] for c in SENTENCES])
def test_sentences_of_other_pages(sentence_pages, i):
    case = SENTENCES[i]
    reports, limits = sentence_pages
    name = f"case-{i:02d}.txt"
    assert sorted(limits.get(name, [])) == sorted(case["limits"]), f"{case['name']} ({case['source']})"
    got = [f for f in reports[name].findings if f.code in TIME_CODES]
    assert sorted(f.code for f in got) == sorted(code for code, _ in case["findings"]), [f.message for f in got]
    for code, words in case["findings"]:
        f = next(f for f in got if f.code == code)
        assert words in f.message, f.message
        # the finding's legal source is its own time limit's, not the check's in general
        assert f.source and all(c.strip() in case["source"] for c in f.source.split(";")), f.source

"""`sendkg lint` as CI users know it (issue 13 item 1): configuration found as ruff finds its own,
validated to the line; suppression comments in a page, and unused ones reported; GitHub annotations;
--exit-zero; `sendkg rule` from the shapes; the pre-commit hook.

The page below is the README's: its own words use 'Clinical Commissioning Group' on line 8, which
integrated care boards replaced on 1 July 2022 (SI 2022/634 reg 58), so `superseded-term` stands
there; it explains appealing but not the mediation adviser and certificate that must come first
(CFA 2014 s.55, SEND Regs 2014 reg 32), so `missing-mediation-advice` stands at 1:1."""

import json
import re
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT
from sendkg.lint import lint

PAGE = """<!doctype html>
<html><head><title>Disagreements</title></head>
<body>
<h1>If you disagree</h1>
<p>Talk to the school first. Our SENDIASS can help.</p>
<blockquote>In most cases this will be achieved by early years providers, schools, colleges,
local authorities and clinical commissioning groups (CCGs) working closely together.</blockquote>
<p>If you choose mediation the local authority (or Clinical Commissioning Group) must take part.
Your time limit for appealing to the Tribunal is <b>two months</b> from the date of that decision.</p>
</body></html>
"""


def codes_at(report):
    return sorted((f.line, f.code) for f in report.findings)


@pytest.fixture
def site(tmp_path):
    (tmp_path / "pages").mkdir()
    page = tmp_path / "pages" / "page.html"
    page.write_text(PAGE)
    return tmp_path, page


def test_without_configuration_every_code_is_reported(site):
    _, page = site
    (r,) = lint([page])
    assert (8, "superseded-term") in codes_at(r)  # SI 2022/634 reg 58
    assert (1, "missing-mediation-advice") in codes_at(r)  # CFA 2014 s.55


def test_pyproject_select_ignore_and_severity(site):
    root, page = site
    (root / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.sendkg.lint]\n'
                                         'ignore = ["missing-mediation-advice"]\n'
                                         'severity = { superseded-term = "violation" }\n')
    (r,) = lint([page])
    assert "missing-mediation-advice" not in {f.code for f in r.findings}
    (term,) = [f for f in r.findings if f.code == "superseded-term"]
    assert term.severity == "violation"  # configured; SI 2022/634 reg 58 stays the source
    assert term.source == "SI 2022/634 reg 58"


def test_select_keeps_only_the_codes_named(site):
    root, page = site
    (root / "pyproject.toml").write_text('[tool.sendkg]\nselect = ["superseded-term"]\n')
    (r,) = lint([page])
    assert {f.code for f in r.findings} == {"superseded-term"}


def test_nearest_configuration_wins_and_config_overrides(site):
    """As ruff: the closest configuration file upward from the page's folder applies."""
    root, page = site
    (root / "pyproject.toml").write_text('[tool.sendkg.lint]\nselect = ["superseded-term"]\n')
    (root / "pages" / ".sendkg.toml").write_text('[lint]\nselect = ["missing-mediation-advice"]\n')
    (r,) = lint([page])
    assert {f.code for f in r.findings} == {"missing-mediation-advice"}
    (r,) = lint([page], config=root / "pyproject.toml")
    assert {f.code for f in r.findings} == {"superseded-term"}


def test_a_pyproject_without_sendkg_table_is_passed_over(site):
    root, page = site
    (root / "pyproject.toml").write_text('[tool.sendkg]\nignore = ["superseded-term"]\n')
    (root / "pages" / "pyproject.toml").write_text('[project]\nname = "other"\n')
    (r,) = lint([page])
    assert "superseded-term" not in {f.code for f in r.findings}


def test_per_file_ignores_by_glob(site):
    root, page = site
    other = root / "pages" / "archive-2019.html"
    other.write_text(PAGE)
    (root / ".sendkg.toml").write_text('[per-file-ignores]\n"pages/archive-*.html" = ["superseded-term"]\n')
    a, b = lint([page, other])
    assert (8, "superseded-term") in codes_at(a)
    assert "superseded-term" not in {f.code for f in b.findings}


@pytest.mark.parametrize("text,line,says", [
    ('[tool.sendkg.lint]\nselct = ["superseded-term"]\n', 2, "unknown key 'selct' in [tool.sendkg.lint]; did you mean 'select'?"),
    ('[tool.sendkg.lint]\nignore = [\n  "no-routes",\n  "superseeded-term",\n]\n', 4,
     "unknown finding code 'superseeded-term'; did you mean 'superseded-term'?"),
    ('[tool.sendkg.lint]\n\n[tool.sendkg.lint.severity]\nsuperseded-term = "error"\n', 4,
     "severity of 'superseded-term' is 'error'"),
    ('[tool.sendkg.lint]\nselect = "superseded-term"\n', 2, "'select' must be a list of finding codes"),
])
def test_a_wrong_configuration_is_one_line_with_file_and_line(cli, site, text, line, says):
    root, page = site
    (root / "pyproject.toml").write_text(text)
    r = cli("lint", page, cwd=root)
    assert r.returncode == 2
    assert r.stderr.startswith(f"sendkg: error: pyproject.toml:{line}: ") and says in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_select_and_ignore_on_the_command_line(cli, site):
    """As ruff's --select and --ignore: the command line's select replaces the file's; ignore adds."""
    root, page = site
    (root / "pyproject.toml").write_text('[tool.sendkg.lint]\nselect = ["missing-mediation-advice"]\n')
    r = cli("lint", page, "--format", "json", "--select", "superseded-term,missing-mediation-advice",
            "--ignore", "missing-mediation-advice")
    assert {f["code"] for f in json.loads(r.stdout)["files"][0]["findings"]} == {"superseded-term"}
    r = cli("lint", page, "--select", "superseeded-term")
    assert r.returncode == 2 and r.stderr.strip() == ("sendkg: error: --select: unknown finding code "
                                                      "'superseeded-term'; did you mean 'superseded-term'?")


def test_config_option_naming_a_missing_file(cli, site):
    root, page = site
    r = cli("lint", page, "--config", "nowhere.toml", cwd=root)
    assert r.returncode == 2 and r.stderr.strip() == ("sendkg: error: --config nowhere.toml: no such file; "
                                                      "give a .sendkg.toml or pyproject.toml")


def test_suppression_for_the_next_line_and_for_the_file(site):
    _, page = site
    lines = PAGE.splitlines()
    lines.insert(7, "<!-- sendkg: ignore[superseded-term] -->")  # before the CCG line (now line 9)
    lines.insert(2, "<!-- sendkg: ignore-file[missing-mediation-advice] -->")
    page.write_text("\n".join(lines) + "\n")
    (r,) = lint([page])
    codes = {f.code for f in r.findings}
    assert not {"superseded-term", "missing-mediation-advice", "unused-suppression"} & codes, r.findings
    assert "quoted-superseded-term" in codes  # the quotation's finding is another code: kept


def test_suppression_after_text_covers_its_own_line_and_markdown_comment(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Help\n\n[//]: # (sendkg: ignore-file[no-routes])\n\nOur opening times.\n\n"
                    "Talk to the Clinical Commissioning Group. <!-- sendkg: ignore[superseded-term] -->\n")
    (r,) = lint([page])
    assert not {"superseded-term", "no-routes", "unused-suppression"} & {f.code for f in r.findings}, r.findings


def test_unused_suppression_is_reported_where_it_stands(site):
    _, page = site
    page.write_text(PAGE.replace("<h1>If you disagree</h1>",
                                 "<h1>If you disagree</h1> <!-- sendkg: ignore[wrong-time-limit] -->"))
    (r,) = lint([page])
    (unused,) = [f for f in r.findings if f.code == "unused-suppression"]
    assert (unused.line, unused.column, unused.severity) == (4, 26, "warning")
    assert "'wrong-time-limit'" in unused.message


def test_suppression_naming_an_unknown_code_is_bad_input(cli, site):
    _, page = site
    page.write_text("<!-- sendkg: ignore[superseeded-term] -->\n" + PAGE)
    r = cli("lint", page)
    assert r.returncode == 2
    assert r.stderr.strip() == (f"sendkg: error: {page}:1: unknown finding code 'superseeded-term'; "
                                "did you mean 'superseded-term'?")


def test_codes_are_the_shapes_codes():
    """Configuration and `rule` know every skg:findingCode in the shapes and nothing else: a new
    shape's code needs no Python change."""
    from sendkg.lintconfig import rules

    text = (ROOT / "shapes" / "authority.ttl").read_text()
    assert set(rules()) == set(re.findall(r'skg:findingCode "([a-z-]+)"', text))


def test_every_code_is_described_with_its_legal_basis():
    from sendkg.lintconfig import rules

    for code, rule in rules().items():
        assert rule["summary"] != code.replace("-", " ") and rule["description"] and rule["example"], code
        if code != "unused-suppression":  # the linter's own code: not about the law
            assert rule["sources"] and all(s["status"] for s in rule["sources"]), code


def test_rule_explains_a_code(cli):
    r = cli("rule", "wrong-time-limit")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("wrong-time-limit (violation)\n")
    # HESC Rules r.20(1)(c) (the Tribunal appeal) and SEND Regs 2014 reg 33 (the mediation adviser)
    assert "HESC Rules r.20(1)(c) [verified] http://www.legislation.gov.uk/uksi/2008/2699/rule/20" in out
    assert "SEND Regs 2014 reg 33 [verified]" in out
    assert "Example:" in out and "ignore[wrong-time-limit]" in out


def test_rule_all_and_json(cli):
    from sendkg.lintconfig import rules

    r = cli("rule", "--all")
    assert r.returncode == 0
    assert [line.split()[0] for line in r.stdout.splitlines()] == list(rules())
    j = json.loads(cli("rule", "missing-sendiass", "--format", "json").stdout)
    assert j["code"] == "missing-sendiass" and j["sources"][0]["citation"] == "CFA 2014 s.32"


def test_rule_unknown_code(cli):
    r = cli("rule", "superseeded-term")
    assert r.returncode == 2 and r.stderr.strip().endswith("did you mean 'superseded-term'?")


def test_format_github_annotations(cli, site):
    root, page = site
    r = cli("lint", "pages/page.html", "--format", "github", cwd=root)
    lines = r.stdout.splitlines()
    assert ("::warning file=pages/page.html,line=8,col=52,title=sendkg superseded-term::uses the name "
            "'clinical commissioning group' in its own words") in "\n".join(lines)
    assert all(re.match(r"::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,title=[^:]+::\S", x) for x in lines)
    assert any(x.startswith("::notice ") for x in lines)  # the quotation's info


def test_github_escapes_the_message():
    from sendkg.authorities import Finding
    from sendkg.lint import FileReport
    from sendkg.render import github

    f = Finding("violation", "wrong-time-limit", "50% of\nit", "r, 1", None, 3, "", 2)
    assert github.render([FileReport("a,b:c.html", [f])]) == \
        "::error file=a%2Cb%3Ac.html,line=3,col=2,title=sendkg wrong-time-limit::50%25 of%0Ait (r, 1)\n"


def test_exit_codes(cli, site):
    """0: nothing at or above --fail-on; 1: a finding there; --exit-zero: 0 whatever is found."""
    _, page = site
    assert cli("lint", page).returncode == 0  # warnings and infos only
    assert cli("lint", page, "--fail-on", "warning").returncode == 1
    assert cli("lint", page, "--fail-on", "info").returncode == 1
    assert cli("lint", page, "--fail-on", "warning", "--exit-zero").returncode == 0


def test_pre_commit_hook():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert re.search(r"^- id: sendkg-lint$", text, re.M)
    assert re.search(r"^  entry: sendkg lint$", text, re.M)
    assert re.search(r"^  types_or: \[html, markdown, text\]$", text, re.M)


README = (ROOT / "docs" / "guide" / "lint.md").read_text()  # the manual's page on lint


def test_readme_documents_exit_codes_and_ci(tmp_path):
    for code in ("0", "1", "2"):
        assert re.search(rf"^\| {code} \| ", README, re.M), code
    assert "sendkg lint --format github" in README and "rev:" in README and "upload-sarif" in README
    example = re.search(r"```toml\n(.*?)```", README, re.S).group(1)
    (tmp_path / "pyproject.toml").write_text(example)
    from sendkg.lintconfig import load_config

    cfg = load_config(tmp_path / "pyproject.toml")  # the README's configuration is valid
    assert cfg.ignore == ["missing-dr-provider"] and cfg.per_file_ignores == {"archive/*.html": ["superseded-term"]}


def test_readme_lint_examples_are_real_output(cli, tmp_path):
    """The manual's `sendkg lint` examples, run on the pages the manual shows (the README's and
    the site's, tests/test_readme.py FILES) and the seed it names."""
    import shutil

    from conftest import manual
    from test_readme import FILES

    (tmp_path / "tests" / "seeds").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "seeds" / "004_156783a074228d54.txt", tmp_path / "tests" / "seeds")
    for name in ("page.md", "page.html", "checked.md", "notice.md"):
        (tmp_path / name).write_text(FILES[name])
    examples = re.findall(r"^\$ (sendkg lint [^\n]*)\n(.*?)^```", manual(), re.S | re.M)
    assert len(examples) >= 3
    for command, expected in examples:
        r = cli(*command.split()[1:], cwd=tmp_path)
        assert (r.stdout + r.stderr).rstrip("\n") == expected.rstrip("\n"), command

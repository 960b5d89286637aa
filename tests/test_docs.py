"""The documentation site (issue 23): `mkdocs build --strict` builds it with no warning and nothing
from the network, and every command of `sendkg` and every finding code the shapes define has its page,
each linked from SARIF's helpUri and `sendkg rule CODE`."""

import html
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT

pytest.importorskip("mkdocs", reason="mkdocs is not installed: pip install '.[docs]' (the test extra includes it)")
pytest.importorskip("material", reason="mkdocs-material is not installed: pip install '.[docs]'")
pytest.importorskip("mkdocstrings_handlers.python", reason="mkdocstrings[python] is not installed: pip install '.[docs]'")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=600)
    return out, r


def test_the_site_builds_with_no_warning(site):
    out, r = site
    assert r.returncode == 0, r.stderr[-3000:]
    said = r.stdout + r.stderr
    assert "WARNING" not in said and "ERROR" not in said, said[-3000:]
    assert (out / "index.html").exists()


def test_every_command_has_its_page(site):
    from sendkg.cli import cli

    out, _ = site
    commands = sorted(cli.commands)
    assert len(commands) >= 19  # decisions ... vocabulary
    for name in commands:
        page = out / "commands" / name / "index.html"
        assert page.exists(), name
        text = page.read_text(encoding="utf-8")
        assert f"sendkg {name}" in text and "Options" in text, name
        for param in cli.commands[name].params:  # every option, from the click command itself
            for opt in getattr(param, "opts", [])[:1] if param.param_type_name == "option" else []:
                assert f"<code>{opt}</code>" in text, (name, opt)
    assert "Example" in (out / "commands" / "routes" / "index.html").read_text(encoding="utf-8")


def test_every_finding_code_has_its_page(site):
    from sendkg.lintconfig import rules

    out, _ = site
    known = rules()
    assert {"wrong-time-limit", "superseded-term", "unused-suppression"} <= set(known)
    for code, rule in known.items():
        page = out / "rules" / code / "index.html"
        assert page.exists(), code
        text = page.read_text(encoding="utf-8")
        words = html.unescape(re.sub(r"<[^>]+>", "", text))  # what a reader sees
        for s in rule["sources"]:  # the law, with its links
            assert s["citation"] in words, (code, s)
            if s["iri"]:
                assert f'href="{s["iri"]}"' in text, (code, s)
        assert f"sendkg: ignore[{code}]" in words and f'ignore = ["{code}"]' in words, code  # how to suppress it
        if rule["example"]:
            assert rule["example"] in words, code  # the wrong example


def test_rule_and_sarif_link_the_rules_page():
    from sendkg.links import DOCS_URL, rule_url
    from sendkg.lintconfig import rules
    from sendkg.render.sarif import help_uri

    assert rule_url("wrong-anchor") == DOCS_URL + "rules/wrong-anchor/"
    for code, rule in rules().items():
        assert help_uri(rule) == rule_url(code)


def test_the_site_reaches_no_network(site):
    """No page loads anything from the web: no Google fonts (theme.font: false), no script or style
    sheet from a CDN (mermaid blocks stay code), no repository widget asking GitHub's API."""
    out, _ = site
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, page
        assert not re.search(r'<script[^>]+src="https?:', text), page
        assert not re.search(r'<link[^>]+rel="stylesheet"[^>]+href="https?:', text), page
        assert "api.github.com" not in text, page


def test_the_readme_names_the_command_that_builds_the_site():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict" in readme
    assert len(readme.splitlines()) < 250  # a front page (issue 23)
    links = re.findall(r"\]\((docs/[^)#]+)", readme)
    assert len(links) >= 10
    assert [link for link in links if not (ROOT / link).exists()] == []


def test_every_right_example_is_right(tmp_path):
    """A rule's right example (skg:rightExample in shapes/authority.ttl), when it is a sentence in
    quotation marks, is one lint passes: no finding of its code, and no warning or violation at all."""
    import json

    from conftest import run_cli
    from sendkg.lintconfig import rules

    sentences = {code: r["right_example"][1:-1] for code, r in rules().items()
                 if r["right_example"].startswith("'") and r["right_example"].endswith("'")}
    assert len(sentences) >= 15, sorted(sentences)
    assert all(r["right_example"] for r in rules().values())  # every code has one
    for code, text in sentences.items():
        (tmp_path / f"{code}.md").write_text(text + "\n", encoding="utf-8")
    r = run_cli("lint", "--format", "json", *sorted(f"{c}.md" for c in sentences), cwd=tmp_path)
    for f in json.loads(r.stdout)["files"]:
        code = f["path"][:-len(".md")]
        found = {(x["code"], x["severity"]) for x in f["findings"]}
        assert not {c for c, _ in found} & {code}, (code, found)
        assert not {s for _, s in found} & {"warning", "violation"}, (code, found)

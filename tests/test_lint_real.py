"""The real pages judged for issue 19 (tests/scenarios/lint-real/): the data itself, not lint's score.

The pages' text is not in the repository (only URLs and our judgement), so this checks what can be
checked without it: the files parse, every page has the fields of the README, its id and its set
follow from its URL alone (so the blind third was fixed before anyone linted it), the codes are
codes sendkg knows, the set is as large and as varied as issue 19 asks, and every page says how its
scratch copy is rebuilt (`query` and `sha256`) or that it could not be (`rebuilt = false`). The
round 2 blind set (`blind-r2-*.toml`) is blind as a whole, set aside before round 2's reader changes.
It never reads a scratch copy: CI has none.
"""

import hashlib
import importlib.util
import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

HERE = Path(__file__).parent
REAL = HERE / "scenarios" / "lint-real"
FIELDS = {"id", "url", "publisher", "authority", "kind", "read", "scope", "verdict", "lines", "expect"}
KINDS = {"LA", "IAS", "MED", "CH", "LAW", "GOV", "SCH"}
SEVERITIES = {"violation", "warning", "info"}
SHA256 = re.compile(r"[0-9a-f]{64}")
ROUND2 = "blind-r2-"  # the round 2 blind set: every page blind, whatever its URL's hash
ROUND3 = "blind-r3-"  # the round 3 blind set, set aside before round 3's reader changes
LATER = re.compile(r"blind-r\d+-")  # the blind set of round 2 or later (blind-rN-*.toml): all blind
ROUND2_FIELDS = {"query", "sha256"}


def pages():
    out = []
    for f in sorted(REAL.glob("*.toml")):
        for p in tomllib.loads(f.read_text(encoding="utf-8"))["page"]:
            out.append((f.name, p))
    return out


PAGES = pages()


def known_codes() -> set[str]:
    text = (HERE.parent / "shapes" / "authority.ttl").read_text(encoding="utf-8")
    codes = set(re.findall(r'skg:findingCode "([a-z-]+)"', text))
    # the two codes issue 19 adds; judged before lint reads them (tests/scenarios/lint-real/README.md)
    return codes | {"wrong-power", "wrong-scope"}


def test_enough_pages_and_publishers():
    """Issue 19 item 4: at least 100 real pages of at least 60 different publishers, a third of the
    first reading set aside as blind by the URL's hash (the round 2 blind set is counted apart)."""
    first = [(f, p) for f, p in PAGES if not LATER.match(f)]
    assert len(first) >= 100
    assert len({p["publisher"] for _, p in first}) >= 60
    blind = [p for f, p in first if f.startswith("blind-")]
    assert 0.25 <= len(blind) / len(first) <= 0.42, len(blind)


def test_round2_blind_set_is_as_large_as_its_brief():
    """The round 2 blind set: at least 50 pages of at least 35 publishers, most of them from
    authorities the earlier sets do not cover."""
    round2 = [p for f, p in PAGES if f.startswith(ROUND2)]
    assert len(round2) >= 50
    assert len({p["publisher"] for p in round2}) >= 35
    earlier = {p["authority"] for f, p in PAGES if not LATER.match(f)}  # round 1's sets
    new = [p for p in round2 if p["authority"] and p["authority"] not in earlier]
    assert len(new) > len(round2) / 2, len(new)


def test_round3_blind_set_is_as_large_as_its_brief():
    """The round 3 blind set (issue 19 item 4, round 3): at least 45 pages of at least 30 publishers,
    none of them a URL of an earlier set, every page with the query and sha256 that rebuild its copy."""
    round3 = [p for f, p in PAGES if f.startswith(ROUND3)]
    assert len(round3) >= 45, len(round3)
    assert len({p["publisher"] for p in round3}) >= 30
    earlier = {p["url"] for f, p in PAGES if not f.startswith(ROUND3)}
    assert not {p["url"] for p in round3} & earlier
    assert all(p["query"] and p["sha256"] for p in round3)


@pytest.mark.parametrize("name,page", PAGES, ids=[p["id"] for _, p in PAGES])
def test_page(name, page):
    assert FIELDS <= set(page), FIELDS - set(page)
    digest = hashlib.sha256(page["url"].encode()).hexdigest()
    assert page["id"] == "r-" + digest[:10]
    if LATER.match(name):
        assert ROUND2_FIELDS <= set(page), ROUND2_FIELDS - set(page)
        assert re.fullmatch(r"[0-9a-f]{64}", page["sha256"]), "sha256 of the scratch copy's bytes"
        assert page["query"].strip() and len(page["query"]) <= 400, "the search query, as sent"
    else:
        assert name.startswith("blind-") == (int(digest, 16) % 3 == 0), "the set follows from the URL"
    assert urlsplit(page["url"]).scheme == "https" or urlsplit(page["url"]).scheme == "http"
    assert page["kind"] in KINDS and page["scope"] in {"full", "partial", "off-topic"}
    assert page["verdict"] in {"correct", "errors"}
    alarms = [e for e in page["expect"] if e["severity"] != "info"]
    if page["verdict"] == "correct":
        assert not alarms, "a correct page expects no warning or violation"
    else:
        assert page["expect"], "a page with errors says which"
    codes = known_codes()
    for e in page["expect"]:
        assert e["code"] in codes, e
        assert e["severity"] in SEVERITIES, e
        assert 1 <= e["line"] <= page["lines"], e
        assert e.get("why"), "every judgement says why, with the law"
    for o in page.get("ok", []):
        assert 1 <= o["line"] <= page["lines"] and o.get("why"), o


@pytest.mark.parametrize("name,page", PAGES, ids=[p["id"] for _, p in PAGES])
def test_page_says_how_its_copy_is_rebuilt(name, page):
    """Either the search query that returned the copy and the copy's sha256, or rebuilt = false
    (the excerpt judged was not found again); never both (tests/scenarios/lint-real/README.md)."""
    if "rebuilt" in page:
        assert page["rebuilt"] is False, "rebuilt is only ever false; a rebuilt page has query and sha256"
        assert "query" not in page and "sha256" not in page
    else:
        assert isinstance(page.get("query"), str) and page["query"].strip(), "query: the search query, non-empty"
        assert isinstance(page.get("sha256"), str) and SHA256.fullmatch(page["sha256"]), "sha256: 64 lowercase hex digits"


def lint_real():
    spec = importlib.util.spec_from_file_location("lint_real", HERE.parent / "benchmarks" / "lint_real.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_copy_with_other_bytes_counts_as_missing(tmp_path):
    """benchmarks/lint_real.py scores a copy only if its bytes have the judged sha256 (made-up text
    here, not a page)."""
    (tmp_path / "real").mkdir()
    good, bad = b"line one\nline two", b"line one\nline 2"
    (tmp_path / "real" / "r-0000000001.txt").write_bytes(good)
    (tmp_path / "real" / "r-0000000002.txt").write_bytes(bad)
    (tmp_path / "real" / "r-0000000004.txt").write_bytes(bad)
    digest = hashlib.sha256(good).hexdigest()
    judged = tmp_path / "real-test.toml"
    judged.write_text("".join(
        f'[[page]]\nid = "r-000000000{n}"\nlines = 2\nexpect = []\n' + (f'sha256 = "{digest}"\n' if n < 4 else "")
        for n in (1, 2, 3, 4)), encoding="utf-8")
    pages, missing, mismatched = lint_real().load([judged], tmp_path, blind=False)
    assert [p["id"] for p, _ in pages] == ["r-0000000001", "r-0000000004"]  # 4 has no sha256: not checked
    assert missing == ["r-0000000002", "r-0000000003"] and mismatched == ["r-0000000002"]


def test_blind_copies_are_not_read_without_blind(tmp_path):
    (tmp_path / "real").mkdir()
    judged = tmp_path / "blind-test.toml"
    judged.write_text('[[page]]\nid = "r-0000000001"\nlines = 1\nexpect = []\n', encoding="utf-8")
    with pytest.raises(SystemExit):
        lint_real().load([judged], tmp_path, blind=False)


def test_no_url_twice_and_none_from_the_development_reading():
    urls = [p["url"] for _, p in PAGES]
    assert len(urls) == len(set(urls))
    sources = (HERE / "scenarios" / "lint-dev" / "SOURCES.md").read_text(encoding="utf-8")
    blind = {p["url"] for f, p in PAGES if f.startswith("blind-")}
    assert not {u for u in blind if u in sources}, "a page read for development is never blind"

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Answers say which day they are about (default: today); the tests, the README examples and the
# snapshots are pinned to one day so that they do not change with the calendar.
os.environ.setdefault("SENDKG_TODAY", "2026-11-23")
# sendkg's cache of answers (sendkg/modelcache.py) in a folder of this run's own, never the user's.
if "SENDKG_ANSWER_CACHE" not in os.environ:
    import atexit
    import shutil
    import tempfile

    os.environ["SENDKG_ANSWER_CACHE"] = tempfile.mkdtemp(prefix="sendkg-test-cache-")
    atexit.register(shutil.rmtree, os.environ["SENDKG_ANSWER_CACHE"], True)

# The manual: the README (the front page) and the documentation site's hand-written pages (docs/;
# the command and finding-code pages are generated when the site is built, docs/hooks.py). Tests of
# what the manual shows read these.
MANUAL_PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def manual() -> str:
    """Every page of the manual, one after another (README first)."""
    return "\n\n".join(p.read_text(encoding="utf-8") for p in MANUAL_PAGES)


def manual_page(name: str) -> str:
    """One page of the documentation site, e.g. manual_page("guide/lint.md")."""
    return (ROOT / "docs" / name).read_text(encoding="utf-8")


@pytest.fixture
def generated(tmp_path):
    """``generated(n)``: benchmarks/generate.py's data for n authorities (seed 1) in a fresh folder;
    the authorities' files, in order."""
    def make(n: int) -> list[Path]:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        try:
            import generate
        finally:
            sys.path.pop(0)
        generate.main([str(tmp_path / f"a{n}"), "--authorities", str(n), "--seed", "1"])
        return sorted((tmp_path / f"a{n}" / "offers").glob("*.ttl"))

    return make


@pytest.fixture(scope="session")
def model():
    from sendkg.model import Model

    return Model()


def run_cli(*args, cwd=None, input=None):
    """Run the installed `sendkg` command as a user would, from another folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SENDKG_DATA", "SENDKG_OFFERS")}
    return subprocess.run([sys.executable, "-m", "sendkg", *map(str, args)], cwd=cwd or "/", env=env,
                          capture_output=True, text=True, input=input, timeout=120)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="session")
def england_study(tmp_path_factory):
    """`sendkg study` over a generated page for each of the 153 authorities (tests/test_study.py
    england_pages), run once for the tests that need it: what each page says, the output folder,
    and the finished process."""
    from test_study import england_pages

    root = tmp_path_factory.mktemp("england")
    said = england_pages(root)
    out = tmp_path_factory.mktemp("england-study")
    return said, out, run_cli("study", root, "-o", out)

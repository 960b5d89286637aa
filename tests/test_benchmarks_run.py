"""benchmarks/run.py's README blocks (issue 21 item 6): the tables are written only between their
markers, in README.md or a docs/ page, and a missing marker is said, not ignored. No timings."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def run(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    import run as module

    monkeypatch.setattr(module, "ROOT", tmp_path)
    (tmp_path / "benchmarks").mkdir()
    return module


def test_the_blocks_are_rewritten_between_their_markers_only(run, tmp_path):
    (tmp_path / "README.md").write_text("# sendkg\n\nbefore\n<!-- benchmarks:begin -->\nold table\n"
                                        "<!-- benchmarks:end -->\nafter\n")
    (tmp_path / "benchmarks" / "README.md").write_text("x\n<!-- results -->\nold\n<!-- /results -->\ny\n")
    written = run.write_blocks("FULL", "SHORT")
    assert set(written) == {tmp_path / "README.md", tmp_path / "benchmarks" / "README.md"}
    assert (tmp_path / "README.md").read_text() == ("# sendkg\n\nbefore\n<!-- benchmarks:begin -->\nSHORT\n"
                                                    "<!-- benchmarks:end -->\nafter\n")
    assert (tmp_path / "benchmarks" / "README.md").read_text() == "x\n<!-- results -->\nFULL\n<!-- /results -->\ny\n"


def test_the_short_table_is_found_in_docs_when_it_moved_there(run, tmp_path):
    (tmp_path / "README.md").write_text("# sendkg, a short front page\n")
    page = tmp_path / "docs" / "manual" / "speed.md"
    page.parent.mkdir(parents=True)
    page.write_text("<!-- benchmarks:begin -->\n<!-- benchmarks:end -->\n")
    assert run.write_blocks("FULL", "SHORT") == [page]
    assert page.read_text() == "<!-- benchmarks:begin -->\nSHORT\n<!-- benchmarks:end -->\n"


def test_no_markers_is_an_error(run, tmp_path):
    (tmp_path / "README.md").write_text("# sendkg\n")
    with pytest.raises(SystemExit, match="benchmarks:begin"):
        run.write_blocks("FULL", "SHORT")


def test_a_baseline_that_fails_is_failed_not_a_time(run):
    failed = run.timed([sys.executable, "-c", "import sys; print('failed: query 3 of 5: boom', file=sys.stderr); sys.exit(3)"],
                       1, ok=(0,), failed_ok=True)
    assert failed.seconds is None and run.fmt_s(failed) == "failed (query 3 of 5: boom)"
    empty = run.timed([sys.executable, "-c", "pass"], 1, keep_out=True)
    assert run.unreadable(empty) is None and empty.seconds is None and run.fmt_s(empty).startswith("failed")

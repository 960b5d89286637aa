"""lint's accuracy on the development set (tests/scenarios/lint-dev/), as benchmarks/lint_accuracy.py
measures it (issue 11): recall at the expected severity and precision of warnings and violations.

Issue 11's bar, recall >= 0.90 and precision >= 0.95 (and correct pages clean), is held on issue 11's
own set (the six first sentence files and the pages). The whole set, grown by issue 19 to more than
1,500 sentences, many written apart from the reader to measure it (sentences-*-2.toml), is held at
floors just under what it measured (recall 0.85, precision 0.96 when it was grown, 7 December 2026;
0.87 / 0.96 after round 2 of the reader, 1,643 sentences):
a regression guard, not a target; issue 19's target is on real pages (benchmarks/lint_real.py)."""

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "scenarios" / "lint-dev"
ISSUE_11 = ["citations", "mediation", "roles", "scope", "terms", "time-limits"]
WHOLE_RECALL, WHOLE_PRECISION = 0.86, 0.95


def _module():
    spec = importlib.util.spec_from_file_location("lint_accuracy", ROOT / "benchmarks" / "lint_accuracy.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def accuracy(tmp_path_factory):
    """Issue 11's set: its six sentence files and the pages."""
    dev = tmp_path_factory.mktemp("issue-11")
    for name in ISSUE_11:
        shutil.copy(DEV / f"sentences-{name}.toml", dev)
    shutil.copytree(DEV / "pages", dev / "pages")
    return _module().run(dev)


@pytest.fixture(scope="module")
def whole():
    return _module().run()


def test_the_whole_set_holds_its_floors(whole):
    o = whole["overall"]
    assert o["precision"] >= WHOLE_PRECISION, [m for m in whole["misses"] if m["kind"] == "false alarm"]
    assert o["recall"] >= WHOLE_RECALL, [m for m in whole["misses"] if m["kind"] == "missed"]
    assert whole["correct_pages_with_alarms"] == []


def test_precision_meets_the_issue_bar(accuracy):
    o = accuracy["overall"]
    assert o["precision"] >= 0.95, [m for m in accuracy["misses"] if m["kind"] == "false alarm"]


def test_correct_pages_give_no_warning(accuracy):
    assert accuracy["correct_pages_with_alarms"] == []


def test_recall_meets_the_issue_bar(accuracy):
    assert accuracy["overall"]["recall"] >= 0.90, [m for m in accuracy["misses"] if m["kind"] == "missed"]

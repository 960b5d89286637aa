"""lint's accuracy on the development set (tests/scenarios/lint-dev/), as benchmarks/lint_accuracy.py
measures it (issue 11): recall at the expected severity and precision of warnings and violations.

The issue's bar is recall >= 0.90 and precision >= 0.95. Precision and clean correct pages are held
at the bar; recall is held at the floor it has reached (RECALL_FLOOR), so that it can only go up, and
the issue's recall bar is a test of its own that is expected to fail until lint reaches it."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RECALL_FLOOR = 0.82  # measured on the set as merged (0.83); raise it as lint improves


@pytest.fixture(scope="module")
def accuracy():
    spec = importlib.util.spec_from_file_location("lint_accuracy", ROOT / "benchmarks" / "lint_accuracy.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.run()


def test_precision_meets_the_issue_bar(accuracy):
    o = accuracy["overall"]
    assert o["precision"] >= 0.95, [m for m in accuracy["misses"] if m["kind"] == "false alarm"]


def test_correct_pages_give_no_warning(accuracy):
    assert accuracy["correct_pages_with_alarms"] == []


def test_recall_does_not_fall(accuracy):
    assert accuracy["overall"]["recall"] >= RECALL_FLOOR, accuracy["overall"]


@pytest.mark.xfail(reason="issue 11's recall bar (0.90) is not reached yet: see benchmarks/README.md", strict=False)
def test_recall_meets_the_issue_bar(accuracy):
    assert accuracy["overall"]["recall"] >= 0.90, accuracy["overall"]

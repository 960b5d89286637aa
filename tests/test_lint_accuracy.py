"""lint's accuracy on the development set (tests/scenarios/lint-dev/), as benchmarks/lint_accuracy.py
measures it (issue 11): recall at the expected severity and precision of warnings and violations.

The issue's bar is recall >= 0.90 and precision >= 0.95 (and correct pages clean); all three are held."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


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


def test_recall_meets_the_issue_bar(accuracy):
    assert accuracy["overall"]["recall"] >= 0.90, [m for m in accuracy["misses"] if m["kind"] == "missed"]

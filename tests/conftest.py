import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Answers say which day they are about (default: today); the tests, the README examples and the
# snapshots are pinned to one day so that they do not change with the calendar.
os.environ.setdefault("SENDKG_TODAY", "2026-11-23")


@pytest.fixture(scope="session")
def model():
    from sendkg.model import Model

    return Model()


def run_cli(*args, cwd=None, input=None):
    """Run the installed `sendkg` command as a user would, from another folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SENDKG_DATA")}
    return subprocess.run([sys.executable, "-m", "sendkg", *map(str, args)], cwd=cwd or "/", env=env,
                          capture_output=True, text=True, input=input, timeout=120)


@pytest.fixture
def cli():
    return run_cli

"""Every answer path of `sendkg routes`, rendered and kept in tests/snapshots/ as a regression
artefact (as GOV.UK smart-answers does): any change in what a user would see shows in review.

After an intended change, regenerate with:  SENDKG_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_snapshots.py
"""

import json
import os
from pathlib import Path

import pytest

from sendkg.render import dot, mermaid, table

SNAPSHOTS = Path(__file__).parent / "snapshots" / "routes"
UPDATE = os.environ.get("SENDKG_UPDATE_SNAPSHOTS") == "1"


def answer_paths(model):
    conditions = model.conditions()
    for d in model.decisions():
        yield d["id"], ()
        for cid, c in sorted(conditions.items()):
            if d["id"] in c["decisions"]:
                yield d["id"], (cid,)


def render_all(model):
    out = {}
    for decision, conds in answer_paths(model):
        name = "+".join((decision, *conds))
        answer = model.routes(decision, conds)
        out[f"{name}.txt"] = table.routes(answer) + "\n"
        out[f"{name}.json"] = json.dumps(answer, indent=2, ensure_ascii=False) + "\n"
        out[f"{name}.mmd"] = mermaid.routes(answer) + "\n"
        out[f"{name}.dot"] = dot.routes(answer) + "\n"
    return out


def test_snapshots(model):
    rendered = render_all(model)
    if UPDATE:
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SNAPSHOTS.iterdir():
            old.unlink()
        for name, text in rendered.items():
            (SNAPSHOTS / name).write_text(text, encoding="utf-8")
        pytest.skip("snapshots rewritten")
    kept = {p.name for p in SNAPSHOTS.iterdir()}
    assert kept == set(rendered), "answer paths changed: regenerate the snapshots and review them"
    changed = [n for n, text in rendered.items() if (SNAPSHOTS / n).read_text(encoding="utf-8") != text]
    assert not changed, f"rendered answers changed: {changed[:5]}; review and regenerate the snapshots"

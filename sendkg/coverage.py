"""What lint can contradict, and what the development set tests (issue 19 item 1: `sendkg rule
--coverage`).

For every time limit, statement of the law and superseded name of the model (queries/coverage-model.rq):
whether lint has a claim reading for it (a path in the graph from page words to the node), and whether
the development set (tests/scenarios/lint-dev/sentences-*.toml) has a wrong sentence and a right
sentence whose claims lint reads as about it (queries/coverage-tests.rq, over the model and the claims
read from the sentences). Python only reads the sentences into claims and joins the two answers.
"""

from __future__ import annotations

import tempfile
import tomllib
from pathlib import Path

import pyoxigraph as ox

from sendkg.resources import model_files
from sendkg.store import EmbeddedStore, load_query

SKG = "https://w3id.org/sendkg/def#"
ID = "https://w3id.org/sendkg/id/"
ALARMS = {"warning", "violation"}


def default_dev() -> Path | None:
    """The development set beside the package, when sendkg runs from a checkout."""
    here = Path(__file__).resolve().parent.parent / "tests" / "scenarios" / "lint-dev"
    return here if here.is_dir() else None


def dev_sentences(dev: Path) -> list[dict]:
    from sendkg.errors import SendkgError

    out = []
    for f in sorted(dev.glob("sentences-*.toml")):
        try:
            out.extend(tomllib.loads(f.read_text(encoding="utf-8"))["sentence"])
        except (tomllib.TOMLDecodeError, KeyError) as err:
            raise SendkgError(f"{f}: not a development set file ({err}); fix the file") from None
    return out


def _dev_quads(sentences: list[dict]) -> list[ox.Quad]:
    """The claims lint reads from each sentence (linted as a one-line page, its context before it),
    and for each sentence's document whether an alarm is expected and what it is said to be about."""
    from sendkg.lint import extract_claims

    quads: list[ox.Quad] = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, s in enumerate(sentences):
            context = (s.get("context") or "").strip()
            path = Path(tmp) / f"s{i:04d}.txt"
            path.write_text((f"{context} {s['text']}" if context else s["text"]) + "\n", encoding="utf-8")
            paths.append(path)
        claims, _ids = extract_claims(paths)
        quads.extend(claims)
        by_file = {}
        for q in claims:
            if q.predicate.value == SKG + "sourceFile":
                by_file[q.object.value] = q.subject
        from sendkg.inputs import show

        for s, path in zip(sentences, paths):
            doc = by_file.get(show(path))
            if doc is None:
                continue
            alarm = any(e["severity"] in ALARMS for e in s["expect"])
            quads.append(ox.Quad(doc, ox.NamedNode(SKG + "devExpectsAlarm"),
                                 ox.Literal("true" if alarm else "false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))))
            quads.append(ox.Quad(doc, ox.NamedNode(SKG + "devSentence"), ox.Literal(s["id"])))
            for about in s.get("about", []):
                quads.append(ox.Quad(doc, ox.NamedNode(SKG + "devAbout"), ox.NamedNode(ID + about)))
    return quads


def coverage(dev: Path | None = None, files: list[Path] | None = None, tests: bool = True) -> dict:
    """Each item of the model with its reading and its tests; ``dev``: the development set's folder
    (default: the checkout's; tests are not known when there is none, or with ``tests`` false);
    ``files``: the model's Turtle files (default: the installed model)."""
    store = EmbeddedStore(files if files is not None else model_files())
    items = store.select(load_query("coverage-model"))
    dev = (dev or default_dev()) if tests else None
    tests = {}
    if dev is not None:
        store.add(_dev_quads(dev_sentences(dev)))
        tests = {r["item"]: r for r in store.select(load_query("coverage-tests"))}
    rows = []
    for r in items:
        t = tests.get(r["item"], {})
        row = {"item": r["item"].removeprefix(ID), "kind": r["kind"], "label": r["label"],
               "period": r["period"], "note": r["note"] or "", "sources": r["sources"] or "",
               "reading": bool(r["reading"]),
               "wrong_tests": int(t.get("wrong") or 0) if dev else None,
               "right_tests": int(t.get("right") or 0) if dev else None}
        row["covered"] = row["reading"] and (dev is None or (row["wrong_tests"] > 0 and row["right_tests"] > 0))
        rows.append(row)
    kinds = sorted({r["kind"] for r in rows})
    summary = {k: {"items": sum(r["kind"] == k for r in rows), "reading": sum(r["kind"] == k and r["reading"] for r in rows),
                   "tested": sum(r["kind"] == k and r["covered"] for r in rows)} for k in kinds}
    return {"development_set": str(dev) if dev else None, "items": rows, "summary": summary}


def render(result: dict) -> str:
    lines = []
    for kind, s in result["summary"].items():
        lines.append(f"{kind}s: {s['items']}, with a claim reading {s['reading']}, with a wrong and a right test {s['tested']}")
    lines.append("")
    width = max(len(r["item"]) for r in result["items"])
    for r in result["items"]:
        tests = "tests ?" if r["wrong_tests"] is None else f"wrong {r['wrong_tests']:>2} right {r['right_tests']:>2}"
        mark = "ok  " if r["covered"] else ("read" if r["reading"] else "NONE")
        extra = " ".join(x for x in (r["period"] or "", r["note"]) if x)
        lines.append(f"{mark} {r['item']:<{width}}  {'reading' if r['reading'] else 'no reading'}  {tests}  {r['label']}"
                     + (f" ({extra})" if extra else "") + (f" [{r['sources']}]" if r["sources"] else ""))
    missing = [r for r in result["items"] if not r["covered"]]
    lines += ["", f"not covered: {len(missing)} of {len(result['items'])}"
              + ("" if result["development_set"] else " (no development set found: tests not counted)")]
    return "\n".join(lines)

"""The W3C SHACL validation report of `sendkg check --format turtle` (issue 21 item 1).

Findings are built straight from the SPARQL constraints' rows; the report graph is written only when
asked for, in one pass. It must stay what it was: the seeds' reports are kept in tests/snapshots/check/
(written before the change, compared as graphs, since blank nodes have no fixed names), and on a
generated 153 authorities every finding stands in the report as a result and every result as a finding.

After an intended change to the shapes or the seeds, regenerate with:
    SENDKG_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_check_report.py
"""

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

HERE = Path(__file__).parent
SNAPSHOTS = HERE / "snapshots" / "check"
SEEDS = ["dudley", "islington", "milton-keynes", "rotherham", "unnamed-002"]
SH = "http://www.w3.org/ns/shacl#"


def sendkg(*args) -> str:
    r = subprocess.run([sys.executable, "-m", "sendkg", *map(str, args)], capture_output=True, text=True,
                       env={**os.environ, "SENDKG_TODAY": "2026-11-23"}, timeout=600)
    assert r.returncode in (0, 1), r.stderr
    return r.stdout


@pytest.mark.parametrize("seed", SEEDS)
def test_the_report_is_the_report_it_was(seed):
    from rdflib import Graph
    from rdflib.compare import graph_diff, isomorphic, to_isomorphic

    got = sendkg("check", seed, "--format", "turtle")
    path = SNAPSHOTS / f"{seed}.ttl"
    if os.environ.get("SENDKG_UPDATE_SNAPSHOTS"):
        path.write_text(got)
        pytest.skip("snapshot rewritten")
    new, old = Graph().parse(data=got, format="turtle"), Graph().parse(path, format="turtle")
    if not isomorphic(new, old):
        _, only_old, only_new = graph_diff(to_isomorphic(old), to_isomorphic(new))
        pytest.fail(f"report changed: {len(only_old)} triples gone, {len(only_new)} new; "
                    f"e.g. {sorted(map(str, only_new))[:3]}")


def _results(turtle: str) -> Counter:
    from rdflib import Graph, Namespace
    from rdflib.namespace import RDF

    g, sh = Graph().parse(data=turtle, format="turtle"), Namespace(SH)
    (report,) = g.subjects(RDF.type, sh.ValidationReport)
    results = list(g.subjects(RDF.type, sh.ValidationResult))
    assert set(results) == set(g.objects(report, sh.result)), "every result belongs to the report"
    assert g.value(report, sh.conforms).toPython() is (not results), "SHACL 1.0 3.6.1"
    assert len(list(g.objects(report, sh.conforms))) == 1, "sh:conforms is said once"
    return Counter((str(g.value(r, sh.resultSeverity)).rsplit("#", 1)[-1].lower(), str(g.value(r, sh.resultMessage)))
                   for r in results)


def test_on_153_authorities_the_report_holds_the_findings(generated):
    offers = generated(153)
    findings = json.loads(sendkg("check", "--format", "json", *offers))
    turtle = sendkg("check", "--format", "turtle", *offers)
    shown = Counter()
    for a in findings["authorities"]:
        for f in a["findings"]:
            if f["code"] == "unknown-identifier":  # its message gains the nearest names after the report
                f["message"] = f["message"].split("; nearest known:")[0]
            shown[(f["severity"], f["message"])] += 1
    assert sum(shown.values()) > 1000, "the generated authorities give many findings"
    assert _results(turtle) == shown

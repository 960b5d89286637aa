"""The plain-library way of doing the same work as a sendkg command: rdflib parses the same Turtle
(or N-Triples) and runs the very same SPARQL texts that sendkg sent to its store (recorded by run.py
into a JSON file), reading every row. Imports no sendkg code. A query rdflib cannot answer ends the run with exit 3
and a line saying which, so that the baseline is reported as failed, never as a time.

    python benchmarks/plain_rdflib.py REPLAY.json FILE_OR_FOLDER...
"""

import json
import sys
from pathlib import Path

from rdflib import Graph

queries = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
g = Graph()
for arg in sys.argv[2:]:
    p = Path(arg)
    for f in sorted(p.rglob("*.ttl")) if p.is_dir() else [p]:
        g.parse(f, format="nt" if f.suffix == ".nt" else "turtle")
rows = 0
for i, text in enumerate(queries, 1):
    try:
        result = g.query(text)
        rows += len(list(result)) if result.type != "ASK" else 1
    except Exception as err:  # noqa: BLE001 - a baseline that cannot do the work has no time
        # (rdflib 7.6 fails on an empty VALUES, for one): say so, and exit 3 so run.py reports
        # this baseline as failed rather than the time it took to fail
        print(f"failed: query {i} of {len(queries)}: {type(err).__name__}: {str(err)[:200]}", file=sys.stderr)
        sys.exit(3)
print(len(g), "triples,", len(queries), "queries,", rows, "rows")

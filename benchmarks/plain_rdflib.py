"""The plain-library way of doing the same work as a sendkg command: rdflib parses the same Turtle
(or N-Triples) and runs the very same SPARQL texts that sendkg sent to its store (recorded by run.py
into a JSON file), reading every row. Imports no sendkg code.

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
for text in queries:
    result = g.query(text)
    rows += len(list(result)) if result.type != "ASK" else 1
print(len(g), "triples,", len(queries), "queries,", rows, "rows")

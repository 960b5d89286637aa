"""The reader's layout (issue 19 item 3): one module per claim family under sendkg/reader/, and no
import circle among authorities, lint, lintconfig and the reader (imports inside functions count)."""

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sendkg"
FAMILIES = ["time_limits", "terms", "duties", "scope", "bodies", "citations"]
WATCHED = ("sendkg.authorities", "sendkg.lint", "sendkg.lintconfig", "sendkg.extract", "sendkg.claims",
           "sendkg.findings", "sendkg.reader")


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def import_graph() -> dict[str, set[str]]:
    """Module -> the sendkg modules it imports anywhere in its text (top level or in a function).
    ``from sendkg.reader import scope`` is an edge to the submodule when there is one."""
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
                for a in node.names:
                    sub = f"{base}.{a.name}"
                    targets.append(sub if sub in modules else base)
            for t in targets:
                if t in modules and t != name:
                    graph[name].add(t)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_graph_sees_function_level_imports():
    """The walk is able to fail: lint imports lintconfig inside a function only."""
    graph = import_graph()
    assert "sendkg.lintconfig" in graph["sendkg.lint"]
    assert "sendkg.reader.duties" in graph["sendkg.reader.orchestrator"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_circle_among_authorities_lint_lintconfig_and_the_reader():
    circles = [c for c in cycles(import_graph()) if any(m.startswith(WATCHED) for m in c)]
    assert circles == [], f"import circles: {circles}"


def test_the_reader_imports_nothing_of_lint():
    graph = import_graph()
    for name, targets in graph.items():
        if name.startswith("sendkg.reader"):
            assert not targets & {"sendkg.lint", "sendkg.lintconfig", "sendkg.authorities", "sendkg.extract",
                                  "sendkg.claims"}, name


@pytest.mark.parametrize("family", FAMILIES + ["sentence", "vocabulary", "paragraphs", "orchestrator"])
def test_each_claim_family_is_a_module(family):
    importlib.import_module(f"sendkg.reader.{family}")


def test_older_imports_still_work():
    from sendkg.extract import Vocabulary, extract, html_paragraphs, read_text, text_paragraphs  # noqa: F401
    from sendkg.authorities import SEVERITIES, Finding
    from sendkg.findings import Finding as F, SEVERITIES as S
    from sendkg.lint import vocabulary_store  # noqa: F401

    assert Finding is F and SEVERITIES is S

"""SHACL core constraints, run where the data is: SPARQL queries generated from the shapes.

pySHACL validates core constraints node by node in Python, over an rdflib copy of the data. Here a
node shape that targets a class, and whose constraints are among those below, becomes a few SPARQL
queries (one per constraint), each run once in Oxigraph over all the class's focus nodes; its
results are those pySHACL gives (focus node, path, value, severity, message, source shape and
constraint component), which tests/test_shacl_core.py checks on every shape and fixture. A shape
with anything else is left to pySHACL, whole.

Covered, on a node shape (``sh:targetClass`` only) and on its property shapes (``sh:path`` an IRI or
``[ sh:inversePath IRI ]``): ``sh:minCount``, ``sh:maxCount``, ``sh:hasValue``, ``sh:in``,
``sh:pattern`` (one, without ``sh:flags``, in the part of the regular-expression language that
Python and Oxigraph read alike), ``sh:not``, ``sh:or``, ``sh:and``, ``sh:xone``, ``sh:node`` and
``sh:property`` (the shapes these name built of the same, every one of severity ``sh:Violation``: of
another severity, pySHACL's ``allow_warnings`` would count a failing shape as conforming). A shape
that reports a result must have one ``sh:message`` (pySHACL writes its own messages otherwise).

pySHACL reads the data through rdflib, which writes some literals in a canonical form ("01" as 1,
"0"^^xsd:boolean as false): the pattern, the counts and equality would then see another value.
So before a shape runs here, one query asks whether any value it looks at is a literal other than
a string, a language-tagged string, or a boolean written true or false; if so, that shape goes to
pySHACL for this run.

The queries are built from the shapes graph (sendkg's own data, never a user's text): IRIs and
literals are written in their N-Triples form by Oxigraph, and a shape's target class is bound with
a VALUES block (:func:`sendkg.store.bind`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from sendkg.store import bind

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TARGET = ("?this <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/"
          "<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?targetClass .")
# what a shape may say besides its constraints: taken as no constraint (non-validating, or run
# elsewhere: sh:sparql by sendkg.shacl_sparql)
_QUIET = {SH + p for p in ("message", "severity", "name", "description", "order", "group", "defaultValue",
                           "sparql", "targetClass", "path", "prefixes", "declare")} | {RDF + "type"}
_CONSTRAINTS = {SH + p for p in ("minCount", "maxCount", "hasValue", "in", "pattern", "not", "or", "and", "xone",
                                 "node", "property")}
# a literal that rdflib may write otherwise than it stands in the data (see the module's text)
UNSAFE = ("(isLiteral(?seen) && !(DATATYPE(?seen) = <http://www.w3.org/2001/XMLSchema#string>"
          " || DATATYPE(?seen) = <http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>"
          " || (DATATYPE(?seen) = <http://www.w3.org/2001/XMLSchema#boolean> && STR(?seen) IN (\"true\", \"false\"))))")


class Unsupported(Exception):
    """A shape this module does not run (pySHACL does)."""


@dataclass(frozen=True)
class CoreResult:
    node_shape: str  # the IRI (or blank node) of the targeting node shape: the check, for its code
    source_shape: object  # the shape that reports (an ox term: the node shape or one of its property shapes)
    component: str  # the sh: IRI of the constraint component
    focus: object  # ox terms
    path: object | None
    value: object | None
    severity: str
    message: object  # the sh:message literal (ox.Literal)


@dataclass
class Query:
    text: str
    source_shape: object
    component: str
    path: object | None
    severity: str
    message: object
    value: str  # "value": the row's ?value; "focus": the focus node; "": none


@dataclass
class Plan:
    node_shape: object
    target: object
    queries: list
    guard: str  # ASK: a value that rdflib could read otherwise


class Shapes:
    """The shapes graph as a dictionary: node -> predicate IRI -> objects (in the order read)."""

    def __init__(self, store):
        self.props: dict = {}
        for q in store._store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            self.props.setdefault(q.subject, {}).setdefault(q.predicate.value, []).append(q.object)

    def get(self, node, name: str) -> list:
        return self.props.get(node, {}).get(SH + name, [])

    def one(self, node, name: str):
        values = self.get(node, name)
        if len(values) > 1:
            raise Unsupported(f"more than one sh:{name}")
        return values[0] if values else None

    def items(self, node) -> list:
        out, seen = [], set()
        while node != ox.NamedNode(RDF + "nil"):
            if node in seen or not isinstance(node, ox.BlankNode):
                raise Unsupported("not a well-formed list")
            seen.add(node)
            first, rest = self.props.get(node, {}).get(RDF + "first", []), self.props.get(node, {}).get(RDF + "rest", [])
            if len(first) != 1 or len(rest) != 1:
                raise Unsupported("not a well-formed list")
            out.append(first[0])
            node = rest[0]
        return out


def _constant(term) -> str:
    """A constant of a shape as it is written in a query: an IRI, or a literal rdflib reads as it is."""
    if isinstance(term, ox.NamedNode):
        return str(term)
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt in (XSD + "string", RDF + "langString") or (dt == XSD + "boolean" and term.value in ("true", "false")):
            return str(term)
    raise Unsupported(f"the constant {term}")


_SAFE_PATTERN = re.compile(r"(?:[A-Za-z0-9 _,:;/@#%&='\"<>~!-]|\\[^A-Za-z0-9]|[\^$()|*+?\[\]]|\{[0-9]+(?:,[0-9]*)?\})*")


def _pattern(term) -> str:
    """A sh:pattern as Oxigraph's REGEX reads it the way Python's re.search (pySHACL) does: only in a
    part of the language both read alike (no classes such as \\d, no groups with ?, no flags, no
    '.'), and with '$' (in Python, the end or before a final newline) written so."""
    if not isinstance(term, ox.Literal) or term.datatype.value != XSD + "string":
        raise Unsupported("a pattern that is not a string")
    text = term.value
    if not _SAFE_PATTERN.fullmatch(text) or "(?" in text:
        raise Unsupported(f"the pattern {text!r}")
    out, i, in_class = [], 0, False
    while i < len(text):
        c = text[i]
        if c == "\\":
            out.append(text[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if text[i + 1:i + 2] in ("]", "^") and text[i + 1:i + 3] in ("]", "^]"):
                raise Unsupported("a class that starts with ]")
        elif c == "$":
            c = "\\n?$"
        out.append(c)
        i += 1
    return str(ox.Literal("".join(out)))


S, O, V = "?__s__", "?__o__", "?__v__"  # placeholders in generated text, filled by str.replace


def _triple(pat: str, s: str, o: str) -> str:
    return pat.replace(S, s).replace(O, o)


class _Builder:
    def __init__(self, shapes: Shapes):
        self.shapes = shapes
        self.n = 0
        self.chains: list[list[str]] = []  # the paths from the focus node to every value looked at

    def var(self) -> str:
        self.n += 1
        return f"?v{self.n}"

    def path(self, shape) -> str:
        """The triple pattern of a property shape's path (an IRI or an inverse IRI), from S to O (see
        :func:`_triple`)."""
        p = self.shapes.one(shape, "path")
        if isinstance(p, ox.NamedNode):
            return f"{S} {p} {O}"
        if isinstance(p, ox.BlankNode) and set(self.shapes.props.get(p, {})) == {SH + "inversePath"}:
            inv = self.shapes.one(p, "inversePath")
            if isinstance(inv, ox.NamedNode):
                return f"{O} {inv} {S}"
        raise Unsupported("a path other than an IRI or its inverse")

    def check_keys(self, shape) -> None:
        for key in self.shapes.props.get(shape, {}):
            if key.startswith(SH) and key not in _QUIET and key not in _CONSTRAINTS:
                raise Unsupported(f"{key}")

    def conforms(self, shape, x: str, chain: list[str], depth: int = 0) -> str:
        """A SPARQL expression true when the node in ``x`` conforms to ``shape`` (a shape named by a
        constraint: its own targets do not matter)."""
        if depth > 8:
            raise Unsupported("shapes nested too deep (or recursive)")
        self.check_keys(shape)
        severity = self.shapes.one(shape, "severity")
        if severity is not None and severity != ox.NamedNode(SH + "Violation"):
            raise Unsupported("a shape named by a constraint with a severity other than sh:Violation")
        parts = []
        if self.shapes.get(shape, "path"):
            pat = self.path(shape)
            here = chain + [pat]
            self.chains.append(here)
            for n in self.shapes.get(shape, "minCount"):
                parts.append(self.at_least(x, pat, _count(n)))
            for m in self.shapes.get(shape, "maxCount"):
                parts.append("!" + self.at_least(x, pat, _count(m) + 1))
            for h in self.shapes.get(shape, "hasValue"):
                v = self.var()
                parts.append(f"EXISTS {{ {_triple(pat, x, v)} FILTER (sameTerm({v}, {_constant(h)})) }}")
            tests = self.value_tests(shape, here, depth)
            if tests:
                v = self.var()
                parts.append(f"NOT EXISTS {{ {_triple(pat, x, v)} FILTER (!({' && '.join(tests).replace(V, v)})) }}")
        else:
            for h in self.shapes.get(shape, "hasValue"):
                parts.append(f"sameTerm({x}, {_constant(h)})")
            for m in self.shapes.get(shape, "minCount") + self.shapes.get(shape, "maxCount"):
                raise Unsupported("a count on a node shape")
            parts += [t.replace(V, x) for t in self.value_tests(shape, chain, depth)]
        return "(" + (" && ".join(parts) or "true") + ")"

    def at_least(self, x: str, pat: str, n: int) -> str:
        """An expression true when ``x`` has at least ``n`` different values on the path."""
        if n <= 0:
            return "true"
        if n > 3:
            raise Unsupported("a count above 3 in a shape named by a constraint")
        vs = [self.var() for _ in range(n)]
        triples = " ".join(_triple(pat, x, v) + " ." for v in vs)
        distinct = " && ".join(f"!sameTerm({a}, {b})" for i, a in enumerate(vs) for b in vs[i + 1:])
        return f"EXISTS {{ {triples}" + (f" FILTER ({distinct})" if distinct else "") + " }"

    def value_tests(self, shape, chain: list[str], depth: int) -> list[str]:
        """Expressions (V: the value node) of the shape's constraints on each value node."""
        v = V
        tests = []
        for p in self.shapes.get(shape, "pattern"):
            tests.append(f"(!isBlank({v}) && REGEX(STR({v}), {_pattern(p)}))")
        if self.shapes.get(shape, "pattern") and self.shapes.get(shape, "flags"):
            raise Unsupported("sh:flags")
        for lst in self.shapes.get(shape, "in"):
            members = [_constant(t) for t in self.shapes.items(lst)]
            tests.append("(" + (" || ".join(f"sameTerm({v}, {m})" for m in members) or "false") + ")")
        for s in self.shapes.get(shape, "not"):
            tests.append("!" + self._nested(s, chain, depth))
        for s in self.shapes.get(shape, "node"):
            tests.append(self._nested(s, chain, depth))
        for lst in self.shapes.get(shape, "and"):
            tests.append("(" + (" && ".join(self._nested(s, chain, depth) for s in self.shapes.items(lst)) or "true") + ")")
        for lst in self.shapes.get(shape, "or"):
            tests.append("(" + (" || ".join(self._nested(s, chain, depth) for s in self.shapes.items(lst)) or "false") + ")")
        for lst in self.shapes.get(shape, "xone"):
            members = [self._nested(s, chain, depth) for s in self.shapes.items(lst)]
            tests.append("((" + (" + ".join(f"IF({m}, 1, 0)" for m in members) or "0") + ") = 1)")
        for s in self.shapes.get(shape, "property"):
            tests.append(self._nested(s, chain, depth))
        return tests

    def _nested(self, shape, chain, depth) -> str:
        return self.conforms(shape, V, chain, depth + 1)


def _count(term) -> int:
    if isinstance(term, ox.Literal) and term.datatype.value == XSD + "integer" and re.fullmatch(r"[0-9]+", term.value):
        return int(term.value)
    raise Unsupported(f"the count {term}")


def _reporting(shapes: Shapes, shape) -> tuple[str, object]:
    """The severity and the message a reporting shape gives its results."""
    severity = shapes.one(shape, "severity") or ox.NamedNode(SH + "Violation")
    if not isinstance(severity, ox.NamedNode):
        raise Unsupported("a severity that is not an IRI")
    messages = shapes.get(shape, "message")
    if len(messages) != 1 or not isinstance(messages[0], ox.Literal):
        raise Unsupported("a reporting shape without exactly one sh:message")
    if shapes.get(shape, "deactivated"):
        raise Unsupported("sh:deactivated")
    return severity.value, messages[0]


def plan(shapes: Shapes, node_shape) -> Plan:
    """The queries of one node shape, or Unsupported."""
    b = _Builder(shapes)
    for key in shapes.props.get(node_shape, {}):
        if key.startswith(SH) and key not in _QUIET and key not in _CONSTRAINTS:
            raise Unsupported(key)
    targets = shapes.get(node_shape, "targetClass")
    if len(targets) != 1 or not isinstance(targets[0], ox.NamedNode) or shapes.get(node_shape, "path"):
        raise Unsupported("a target other than one sh:targetClass")
    queries = []
    head = "SELECT DISTINCT ?this{value} WHERE {{\n  " + TARGET + "\n  {body}\n}}"
    # the node shape's own constraints: its value node is the focus node
    own = {k: v for k, v in shapes.props.get(node_shape, {}).items() if k in _CONSTRAINTS - {SH + "property"}}
    if own:
        severity, message = _reporting(shapes, node_shape)
        if own.get(SH + "minCount") or own.get(SH + "maxCount"):
            raise Unsupported("a count on a node shape")
        for h in own.get(SH + "hasValue", []):
            queries.append(Query(head.format(value="", body=f"FILTER (!sameTerm(?this, {_constant(h)}))"), node_shape,
                                 SH + "HasValueConstraintComponent", None, severity, message, ""))
        for key, component in (("pattern", "Pattern"), ("in", "In"), ("not", "Not"), ("node", "Node"), ("and", "And"),
                               ("or", "Or"), ("xone", "Xone")):
            for value in own.get(SH + key, []):
                single = {SH + key: [value]}
                tests = _tests_of(b, shapes, single, [])
                body = f"FILTER (!({' && '.join(tests).replace(V, '?this')}))"
                queries.append(Query(head.format(value="", body=body), node_shape, SH + component + "ConstraintComponent",
                                     None, severity, message, "focus"))
    for prop in shapes.get(node_shape, "property"):
        b.check_keys(prop)
        pat = b.path(prop)
        b.chains.append([pat])
        severity, message = _reporting(shapes, prop)
        path = shapes.one(prop, "path")
        values = _triple(pat, "?this", "?value")
        counted = "SELECT ?this WHERE {{\n  " + TARGET + "\n  {body}\n}}\nGROUP BY ?this HAVING (COUNT(DISTINCT ?value) {test})"
        for n in shapes.get(prop, "minCount"):
            text = counted.format(body=f"OPTIONAL {{ {values} }}", test=f"< {_count(n)}")
            queries.append(Query(text, prop, SH + "MinCountConstraintComponent", path, severity, message, ""))
        for m in shapes.get(prop, "maxCount"):
            text = counted.format(body=values, test=f"> {_count(m)}")
            queries.append(Query(text, prop, SH + "MaxCountConstraintComponent", path, severity, message, ""))
        for h in shapes.get(prop, "hasValue"):
            body = f"FILTER NOT EXISTS {{ {_triple(pat, '?this', '?hv')} FILTER (sameTerm(?hv, {_constant(h)})) }}"
            queries.append(Query(head.format(value="", body=body), prop, SH + "HasValueConstraintComponent", path,
                                 severity, message, ""))
        for key, component in (("pattern", "Pattern"), ("in", "In"), ("not", "Not"), ("node", "Node"), ("and", "And"),
                               ("or", "Or"), ("xone", "Xone"), ("property", "Node")):
            if key == "property" and shapes.get(prop, key):
                raise Unsupported("sh:property inside a property shape")
            for value in shapes.get(prop, key):
                tests = _tests_of(b, shapes, {SH + key: [value]}, [pat])
                if key == "pattern" and shapes.get(prop, "flags"):
                    raise Unsupported("sh:flags")
                body = f"{values}\n  FILTER (!({' && '.join(tests).replace(V, '?value')}))"
                queries.append(Query(head.format(value=" ?value", body=body), prop,
                                     SH + component + "ConstraintComponent", path, severity, message, "value"))
    if not queries:
        raise Unsupported("no core constraint")
    return Plan(node_shape, targets[0], queries, _guard(b.chains))


def _tests_of(b: _Builder, shapes: Shapes, props: dict, chain: list[str]) -> list[str]:
    """The value tests of one constraint (given as a shape's properties), as :meth:`_Builder.value_tests`."""
    fake = ox.BlankNode()
    shapes.props[fake] = props
    try:
        return b.value_tests(fake, chain, 0)
    finally:
        del shapes.props[fake]


def _guard(chains: list[list[str]]) -> str:
    """ASK: does any focus node reach, along one of the paths the shape looks at, a value that rdflib
    could read otherwise (see UNSAFE)?"""
    branches = []
    for chain in chains:
        at, steps = "?this", []
        for i, pat in enumerate(chain):
            nxt = "?seen" if i == len(chain) - 1 else f"?g{i}"
            steps.append(_triple(pat, at, nxt) + " .")
            at = nxt
        branches.append("{ " + " ".join(steps) + " }")
    unique = list(dict.fromkeys(branches))
    return "ASK WHERE {\n  " + TARGET + "\n  " + " UNION ".join(unique) + "\n  FILTER " + UNSAFE + "\n}"


def plans(shapes_store) -> tuple[list[Plan], list | None]:
    """The plans of the node shapes that target a class, and the node shapes left to pySHACL (None:
    all of them, when one is a blank node, which pySHACL's copy of the shapes names otherwise)."""
    shapes = Shapes(shapes_store)
    out, left = [], []
    for node in sorted({s for s, props in shapes.props.items() if SH + "targetClass" in props}, key=str):
        props = shapes.props[node]
        if not any(k in _CONSTRAINTS for k in props):
            continue  # nothing core here (SPARQL constraints only)
        if not isinstance(node, ox.NamedNode):
            return [], None
        try:
            out.append(plan(shapes, node))
        except Unsupported:
            left.append(node)
    return out, left


def run(data, plan_: Plan) -> list[CoreResult] | None:
    """The plan's results over ``data`` (an EmbeddedStore), or None when a value it looks at is one
    that rdflib reads otherwise (the shape then goes to pySHACL)."""
    store = data._store
    if bool(store.query(bind(plan_.guard, {"targetClass": plan_.target}))):
        return None
    out = []
    for q in plan_.queries:
        for row in store.query(bind(q.text, {"targetClass": plan_.target})):
            focus = row["this"]
            value = row["value"] if q.value == "value" else focus if q.value == "focus" else None
            out.append(CoreResult(str(plan_.node_shape.value) if isinstance(plan_.node_shape, ox.NamedNode)
                                  else str(plan_.node_shape), q.source_shape, q.component, focus, q.path, value,
                                  q.severity, q.message))
    return out


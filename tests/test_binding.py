"""Parameters are bound as RDF terms in a VALUES block, never formatted into the query."""

import re

import pyoxigraph as ox
import pytest

from sendkg.errors import SendkgError
from sendkg.store import bind, load_query


def test_values_block_at_the_outer_where():
    q = bind("SELECT ?x WHERE { ?x ?p ?o }", {"x": ox.NamedNode("https://example.org/a")})
    assert q == "SELECT ?x WHERE {\n  VALUES ?x { <https://example.org/a> }\n ?x ?p ?o }"


def test_list_and_literal_values():
    q = bind("SELECT * WHERE { }", {"id": ["a", 'b"c'], "n": 3, "f": True})
    assert 'VALUES ?id { "a" "b\\"c" }' in q
    assert 'VALUES ?n { "3"^^<http://www.w3.org/2001/XMLSchema#integer> }' in q


def test_a_hostile_value_cannot_change_the_query(model):
    hostile = 'x" } ?s ?p ?o . { "'
    assert model.select("decision", id=hostile) == []
    assert model.select("decision", id="refuse-plan")[0]["id"] == "refuse-plan"


def test_bad_variable_name():
    with pytest.raises(SendkgError):
        bind("SELECT * WHERE { }", {"x }": "a"})


def test_every_parameter_a_query_names_is_one_of_its_variables():
    from sendkg.resources import resource_dir

    for path in resource_dir("queries").glob("*.rq"):
        text = load_query(path.stem)
        for line in text.splitlines():
            if line.startswith("# Parameter"):
                var = line.split("?", 1)[1].split()[0]
                body = re.split(r"\b(?:SELECT|CONSTRUCT|ASK|DESCRIBE)\b", text, maxsplit=1)
                assert len(body) == 2, (path.name, "no query form")
                assert "?" + var in body[1], (path.name, var)

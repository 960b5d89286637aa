"""The ontology itself: every class and property has a label and a comment a person can read."""

from sendkg.model import Model

QUERY = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?term ?label ?comment WHERE {
  VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
  ?term a ?kind .
  FILTER (isIRI(?term))
  OPTIONAL { ?term rdfs:label ?label }
  OPTIONAL { ?term rdfs:comment ?comment }
}
"""


def test_every_term_has_label_and_comment():
    m = Model()
    _, rows = m.query(QUERY)
    own = [r for r in rows if r["term"].startswith("https://w3id.org/sendkg/def#")]
    assert len(own) > 30
    missing = [r["term"] for r in own if not (r["label"] and r["comment"])]
    assert not missing, missing


def test_controlled_terms_have_labels():
    m = Model()
    _, rows = m.query("""
        PREFIX skg: <https://w3id.org/sendkg/def#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?t WHERE {
          VALUES ?c { skg:CountingMode skg:Combination skg:DateRule skg:VerificationStatus }
          ?t a ?c . FILTER NOT EXISTS { ?t rdfs:label ?l ; rdfs:comment ?x } }""")
    assert rows == []

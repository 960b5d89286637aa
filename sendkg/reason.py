"""OWL reasoning with owlready2 and HermiT: is the model consistent, and which decisions fall
into the defined classes of the ontology (appealable to the Tribunal, mediable, ...)?

The classification comes from the reasoner, not from the data: decisions are only asserted to be
skg:Decision with their routes, and the defined classes (owl:equivalentClass with owl:hasValue
restrictions in ontology/sendkg.ttl) are filled by HermiT.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from sendkg.errors import SendkgError

SKG = "https://w3id.org/sendkg/def#"
DCT_ID = "http://purl.org/dc/terms/identifier"


class ReasonerUnavailable(SendkgError):
    """Java (needed by HermiT) is missing."""


@dataclass
class Reasoning:
    consistent: bool
    classes: dict[str, list[str]] = field(default_factory=dict)  # defined class IRI -> decision ids
    labels: dict[str, str] = field(default_factory=dict)
    problem: str = ""

    def as_json(self) -> dict:
        return {"consistent": self.consistent, "problem": self.problem or None,
                "classification": {self.labels.get(c, c): ids for c, ids in self.classes.items()}}


def reason(ntriples: bytes) -> Reasoning:
    """Run HermiT over the model given as N-Triples."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise ReasonerUnavailable("OWL reasoning needs Java (HermiT runs on it) and none was found; "
                                  "install a Java runtime (e.g. 'apt-get install default-jre-headless') "
                                  "or run with --no-reason")
    import owlready2

    ntriples = local_only(ntriples)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.nt"
        path.write_bytes(ntriples)
        world = owlready2.World()
        try:
            onto = world.get_ontology(path.as_uri()).load(format="ntriples", only_local=True)
        except Exception as err:  # noqa: BLE001 - owlready2 raises plain errors on data it cannot read
            raise SendkgError(f"the OWL reasoner could not read the model ({type(err).__name__}); "
                              "run with --no-reason to see the SHACL results") from None
        defined = [c for c in world.classes() if c.iri.startswith(SKG) and c.equivalent_to]
        try:
            # HermiT derives a base IRI from the working directory and fails in some (e.g. "/").
            with onto, contextlib.chdir(tmp):
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as err:
            return Reasoning(consistent=False, problem=f"the model is inconsistent: {err}")
        except owlready2.base.OwlReadyJavaError as err:  # pragma: no cover - depends on the machine
            lines = [x.strip() for x in str(err).splitlines() if x.strip()]
            detail = next((x for x in lines if "Exception" in x), lines[-1] if lines else "")
            raise ReasonerUnavailable(f"the reasoner could not run: {detail[:300]}") from None
        ident = world._abbreviate(DCT_ID)
        result = Reasoning(consistent=True)
        for cls in defined:
            ids = []
            for ind in cls.instances(world=world):
                values = list(world._get_data_triples_sp_od(ind.storid, ident)) if ident else []
                ids.append(str(values[0][0]) if values else ind.name)
            result.classes[cls.iri] = sorted(ids)
            labels = list(cls.label)
            result.labels[cls.iri] = str(labels[0]) if labels else cls.name
        return result


OWL_IMPORTS = "http://www.w3.org/2002/07/owl#imports"


def local_only(ntriples: bytes) -> bytes:
    """The statements without owl:imports: the reasoner gets the local files only and never fetches
    an imported ontology (from the network, or a file such as file:///etc/passwd)."""
    import pyoxigraph as ox

    triples = [t for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES) if t.predicate.value != OWL_IMPORTS]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def reason_over_files(files: Iterable[Path]) -> Reasoning:
    from sendkg.store import EmbeddedStore

    return reason(EmbeddedStore(files).dump())

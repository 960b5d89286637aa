"""sendkg: a knowledge graph and rule engine for SEND disagreement routes in England.

The rules live in Turtle (``ontology/``), the checks in SHACL (``shapes/``) and the questions in
SPARQL (``queries/``); this package loads, reasons, queries and renders them. The Python API is
:class:`sendkg.model.Model`; the command line is ``sendkg`` (:mod:`sendkg.cli`).
"""

__version__ = "0.1.0"

from sendkg.errors import SendkgError  # noqa: E402  (light: no heavy imports)

__all__ = ["SendkgError", "Model", "__version__"]


def __getattr__(name):  # lazy, so that importing sendkg stays cheap
    if name == "Model":
        from sendkg.model import Model

        return Model
    raise AttributeError(name)

"""sendkg: a knowledge graph and rule engine for SEND disagreement routes in England.

The rules live in Turtle (``ontology/``), the checks in SHACL (``shapes/``) and the questions in
SPARQL (``queries/``); this package loads, reasons, queries and renders them. The Python API is
:class:`sendkg.SendKG` (typed answers with ``to_records()``, :mod:`sendkg.api`) over
:class:`sendkg.model.Model` (plain dicts); the command line is ``sendkg`` (:mod:`sendkg.cli`).
"""

from sendkg._version import __version__  # noqa: E402

from sendkg.errors import SendkgError  # noqa: E402  (light: no heavy imports)

_API = ("SendKG", "Records", "Route", "Deadline", "Finding", "Comparison", "Identifier")
__all__ = ["SendkgError", "Model", "__version__", *_API]


def __getattr__(name):  # lazy, so that importing sendkg stays cheap
    if name == "Model":
        from sendkg.model import Model

        return Model
    if name in _API:
        from sendkg import api

        return getattr(api, name)
    raise AttributeError(name)

"""The local authorities of England as bodies: who they are, and which one a page speaks for.

The register is data (``ontology/england/authorities.ttl``, read with
``queries/local-authorities.rq``): ONS codes, names, types, regions, and the structural changes
that abolished and created councils since 2009. A page is matched to an authority by its ONS code
or by the names it uses; a page that speaks for a council that no longer exists (or uses a name the
council has dropped) is out of date, and the register says what replaced it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sendkg.store import load_query

GSS = re.compile(r"\bE(?:06|08|09|10)\d{6}\b")


@dataclass(frozen=True)
class LocalAuthority:
    id: str
    label: str
    council: str
    gss: str | None
    type: str | None
    region: str | None
    start: date | None  # first day it existed (None: before the register's coverage)
    end: date | None  # first day it no longer existed (None: it exists)
    successors: tuple[str, ...] = ()

    def exists_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Mention:
    authority: LocalAuthority
    phrase: str
    start: int
    end: int
    stale: str | None = None  # why this name is out of date, if it is


@dataclass
class Register:
    authorities: dict[str, LocalAuthority] = field(default_factory=dict)
    # (phrase, authority id, kind, first day the phrase is stale or None)
    names: list[tuple[str, str, str, date | None]] = field(default_factory=list)

    @classmethod
    def from_store(cls, store) -> "Register":
        reg = cls()
        for r in store.select(load_query("local-authorities")):
            if r["id"] not in reg.authorities:
                reg.authorities[r["id"]] = LocalAuthority(
                    r["id"], r["label"], r["council"], r["gss"], r["type"], r["region"],
                    date.fromisoformat(r["from"]) if r["from"] else None,
                    date.fromisoformat(r["until"]) if r["until"] else None,
                    tuple(sorted((r["successors"] or "").split())))
            stale = r["nameUntil"] or r["until"]
            reg.names.append((r["phrase"], r["id"], r["kind"], date.fromisoformat(stale) if stale else None))
        return reg

    def current(self, day: date | None = None) -> list[LocalAuthority]:
        day = day or date.today()
        return sorted((a for a in self.authorities.values() if a.exists_on(day)), key=lambda a: a.id)

    def get(self, key: str) -> LocalAuthority | None:
        """By identifier, ONS code (or former code) or any name, ignoring case."""
        if key in self.authorities:
            return self.authorities[key]
        low = key.strip().lower()
        for a in self.authorities.values():
            if a.gss and a.gss.lower() == low:
                return a
        for phrase, ident, _kind, _stale in self.names:
            if phrase.lower() == low:
                return self.authorities[ident]
        return None

    def _pattern(self):
        if not hasattr(self, "_compiled"):
            # an abolished council is named by its council's name only: its area's short name
            # (Cumbria, Bedfordshire) is still in use for other things
            usable = [(p, i, k, s) for p, i, k, s in self.names
                      if not (self.authorities[i].end and k == "label")]
            phrases = sorted({p for p, *_ in usable}, key=len, reverse=True)
            self._by_phrase: dict[str, list[tuple[str, str, date | None]]] = {}
            for p, i, k, s in usable:
                entries = self._by_phrase.setdefault(p.lower(), [])
                if (i, k, s) not in entries:
                    entries.append((i, k, s))
            # every name starts with a capital letter or a digit: a look-ahead skips other positions fast
            self._compiled = re.compile(r"(?<![\w-])(?=[A-Z0-9])(" + "|".join(map(re.escape, phrases)) + r")(?![\w-])")
        return self._compiled

    def mentions(self, text: str, day: date | None = None) -> list[Mention]:
        """Every authority the text names (longest name first, names are matched with their
        capital letters), with why a name is out of date on ``day`` (default today)."""
        day = day or date.today()
        out = []
        for m in GSS.finditer(text):
            a = self.get(m.group(0))
            if a:
                out.append(Mention(a, m.group(0), m.start(), m.end(), self._stale(a, None, day)))
        for m in self._pattern().finditer(text):
            seen = set()
            for ident, kind, stale_on in self._by_phrase[m.group(0).lower()]:
                if ident in seen:
                    continue
                seen.add(ident)
                a = self.authorities[ident]
                reason = self._stale(a, stale_on if kind == "former" else None, day)
                out.append(Mention(a, m.group(0), m.start(), m.end(), reason))
        return sorted(out, key=lambda x: (x.start, x.authority.id))

    def _stale(self, a: LocalAuthority, name_until: date | None, day: date) -> str | None:
        if a.end and a.end <= day:
            after = ", ".join(self.authorities[s].council for s in a.successors if s in self.authorities)
            return (f"{a.council} was abolished on {a.end.isoformat()}"
                    + (f"; its duties passed to {after}" if after else ""))
        if name_until and name_until <= day:
            return f"the council has been called {a.council} since {name_until.isoformat()}"
        return None

    def identify(self, text: str, day: date | None = None) -> tuple[LocalAuthority | None, list[Mention]]:
        """The authority a page speaks for: the one it names most often (an abolished council
        counts for itself, so its page is found out of date); None when two are named equally."""
        found = self.mentions(text, day)
        counts: dict[str, int] = {}
        for m in found:
            counts[m.authority.id] = counts.get(m.authority.id, 0) + 1
        if not counts:
            return None, found
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            return None, found
        return self.authorities[ranked[0][0]], found


def load_register(store=None) -> Register:
    if store is None:
        from sendkg.resources import resource_dir
        from sendkg.store import EmbeddedStore

        ont = resource_dir("ontology")
        store = EmbeddedStore([ont / "bodies.ttl", ont / "england" / "authorities.ttl"])
    return Register.from_store(store)


# ---------------------------------------------------------------- the authorities' pages
PAGE_KINDS = ("lo-disagreements", "lo-mediation", "lo-appeals", "lo-complaints", "lo-other", "sendiass")


@dataclass(frozen=True)
class AuthorityPage:
    """An authority's page as the register records it: an address and how it was found."""
    authority: str
    kind: str  # one of PAGE_KINDS
    url: str
    seen: date
    queries: tuple[str, ...]
    derived_from: str | None = None


@dataclass
class Pages:
    """The authorities' pages (``ontology/england/authority-pages.ttl``): by authority, and the
    authorities none of whose pages was found (with the queries tried)."""
    by_authority: dict[str, list[AuthorityPage]] = field(default_factory=dict)
    not_found: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_store(cls, store) -> "Pages":
        pages = cls()
        for r in store.select(load_query("authority-pages")):
            queries = tuple((r["queries"] or "").split("\n"))
            if r["notFound"]:
                pages.not_found[r["id"]] = queries
                continue
            pages.by_authority.setdefault(r["id"], []).append(AuthorityPage(
                r["id"], r["kind"], r["url"], date.fromisoformat(str(r["seen"])), queries, r["derivedFrom"]))
        return pages

    def urls(self, ident: str) -> list[str]:
        return [p.url for p in self.by_authority.get(ident, [])]


def load_pages(store=None) -> Pages:
    """The register's pages, read only when asked for (``sendkg study --england``)."""
    if store is None:
        from sendkg.resources import resource_dir
        from sendkg.store import EmbeddedStore

        ont = resource_dir("ontology")
        store = EmbeddedStore([ont / "bodies.ttl", ont / "england" / "authorities.ttl",
                               ont / "england" / "authority-pages.ttl"])
    return Pages.from_store(store)

"""Configuring `sendkg lint` as ruff is configured, and suppressing findings inside a page.

Configuration is found as ruff finds its own: from each page's folder upward, the first
``.sendkg.toml`` (keys at the top level or under ``[lint]``) or ``pyproject.toml`` with a
``[tool.sendkg.lint]`` (or ``[tool.sendkg]``) table; ``--config FILE`` overrides the search. Keys:

- ``select``: the codes to report (default: all; ``"ALL"`` for all),
- ``ignore``: codes never to report,
- ``severity``: a table of code = "violation" | "warning" | "info",
- ``per-file-ignores``: a table of glob (relative to the configuration's folder, or a file name) =
  list of codes.

Every code is checked against the finding codes the shapes define (``skg:findingCode`` in
``shapes/*.ttl``): a new shape's code can be configured with no change here. A wrong key or code is
one line naming the file and line (exit 2).

A page suppresses findings with a comment naming the codes:
``<!-- sendkg: ignore[superseded-term] -->`` for the next line (or, after text, for its own line),
``<!-- sendkg: ignore-file[missing-sendiass, no-routes] -->`` for the whole page (Markdown's
``[//]: # (sendkg: ignore[...])`` works as well). A suppression that suppresses nothing is reported as
``unused-suppression``, as ruff reports an unused ``noqa``.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sendkg.errors import SendkgError
from sendkg.findings import SEVERITIES, Finding

KEYS = ("select", "ignore", "severity", "per-file-ignores")
UNUSED = "unused-suppression"
CONFIG_NAMES = (".sendkg.toml", "pyproject.toml")


# ------------------------------------------------------------------ the codes, from the shapes
@lru_cache(maxsize=None)
def rules() -> dict[str, dict]:
    """Every finding code the shapes define, with its severity, description, example (wrong and
    right) and legal sources (``queries/finding-rules.rq`` over the shapes and the model's citations)."""
    from sendkg.resources import model_files, shape_files
    from sendkg.store import EmbeddedStore, load_query

    store = EmbeddedStore([*shape_files(), *[f for f in model_files() if f.name in ("sources.ttl", "terms.ttl")]])
    out: dict[str, dict] = {}
    for r in store.select(load_query("finding-rules"), source="queries/finding-rules.rq"):
        # one code may stand for several shapes (e.g. an authority's omission, a warning, and the same
        # omission on a single page, an info): the description is the one given; the severities all
        rule = out.setdefault(r["code"], {"code": r["code"], "severity": None, "severities": [], "summary": "",
                                          "description": "", "example": "", "right_example": "",
                                          "sources": []})
        severity = r["severity"].rsplit("#", 1)[-1].lower()
        if severity not in rule["severities"]:
            rule["severities"].append(severity)
        for key, var in (("summary", "summary"), ("description", "description"), ("example", "example"),
                         ("right_example", "right")):
            rule[key] = rule[key] or r[var] or ""
        if r["citation"]:
            cite = {"citation": r["citation"], "iri": r["iri"], "status": r["status"]}
            if cite not in rule["sources"]:
                rule["sources"].append(cite)
    for rule in out.values():
        rule["severities"].sort(key=SEVERITIES.index)
        rule["severity"] = rule["severities"][0]  # the most severe: SARIF's default level
        rule["summary"] = rule["summary"] or rule["code"].replace("-", " ")
        rule["sources"].sort(key=lambda c: c["citation"])
    return dict(sorted(out.items()))


def known_codes() -> list[str]:
    return list(rules())


def unknown_code(code: str, where: str) -> SendkgError:
    near = difflib.get_close_matches(code, known_codes(), n=1, cutoff=0.6)
    hint = f"did you mean '{near[0]}'?" if near else "'sendkg rule --all' lists the codes"
    return SendkgError(f"{where}: unknown finding code '{code}'; {hint}")


# ------------------------------------------------------------------ configuration
@dataclass
class Config:
    path: Path | None = None  # the file it came from (None: defaults)
    select: list[str] | None = None  # None: every code
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)

    def enabled(self, code: str, page: Path) -> bool:
        if self.select is not None and "ALL" not in self.select and code not in self.select:
            return False
        return code not in self.ignore and code not in self.file_ignores(page)

    def file_ignores(self, page: Path) -> set[str]:
        out: set[str] = set()
        if not self.per_file_ignores:
            return out
        page = page.resolve()
        base = self.path.parent.resolve() if self.path else Path.cwd()
        try:
            rel = page.relative_to(base).as_posix()
        except ValueError:
            rel = page.as_posix()
        for pattern, codes in self.per_file_ignores.items():
            if fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(page.name, pattern) \
                    or fnmatch.fnmatchcase(page.as_posix(), pattern):
                out.update(codes)
        return out


def _line_of(text: str, key: str, start: int = 0) -> int:
    """The 1-based line where ``key`` (a bare or quoted key, or a quoted code) first appears from
    line ``start`` (0-based), comments left out; the table's own line when it cannot be told."""
    pattern = re.compile(r'(^|[\s{,\[])["\']?' + re.escape(key) + r'["\']?\s*(=|,|\]|$)')
    for i, line in enumerate(text.splitlines()[start:], start):
        if pattern.search(line.split("#", 1)[0]):
            return i + 1
    return start + 1


def _table_line(text: str, header: str) -> int:
    """The 0-based line of a ``[header]`` in the text (0 when absent)."""
    for i, line in enumerate(text.splitlines()):
        if re.fullmatch(r"\s*\[\s*" + re.escape(header).replace(r"\.", r"\s*\.\s*") + r"\s*\]\s*(#.*)?", line):
            return i
    return 0


def _shown(path: Path) -> Path:
    """A path as the user would write it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def load_config(path: Path) -> Config | None:
    """The lint configuration in one file, validated; None for a pyproject.toml without one."""
    cfg = _load(path, _shown(path))
    if cfg is not None:
        cfg.path = path
    return cfg


def _load(real: Path, path: Path) -> Config | None:
    try:
        text = real.read_text(encoding="utf-8")
    except OSError as err:
        raise SendkgError(f"{path}: cannot read the configuration ({err.strerror}); check the path") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SendkgError(f"{path}: not valid TOML ({err}); fix the file") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {}).get("sendkg")
        if tool is None:
            return None
        header = "tool.sendkg"
    else:
        tool, header = data, ""
    if not isinstance(tool, dict):
        raise SendkgError(f"{path}:{_line_of(text, 'sendkg') if header else 1}: [{header or 'lint'}] must be a table")
    table, where = tool, header
    if "lint" in tool:
        extra = [k for k in tool if k != "lint"]
        if extra:
            raise SendkgError(f"{path}:{_line_of(text, extra[0], _table_line(text, header))}: '{extra[0]}' "
                              f"beside [{(header + '.') if header else ''}lint]; put the lint settings in one table")
        table, where = tool["lint"], (header + ".lint") if header else "lint"
        if not isinstance(table, dict):
            raise SendkgError(f"{path}:{_line_of(text, 'lint')}: 'lint' must be a table")
    start = _table_line(text, where) if where else 0
    name = f"[{where}]" if where else "the top level"

    def line(key: str) -> int:
        return _line_of(text, key, start)

    for key in table:
        if key not in KEYS:
            near = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"did you mean '{near[0]}'?" if near else f"known keys: {', '.join(KEYS)}"
            raise SendkgError(f"{path}:{line(key)}: unknown key '{key}' in {name}; {hint}")

    def codes(value, key: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
            raise SendkgError(f"{path}:{line(key)}: '{key}' must be a list of finding codes, like [\"superseded-term\"]")
        for c in value:
            if c not in rules() and not (key == "select" and c == "ALL"):
                raise unknown_code(c, f"{path}:{_line_of(text, c, start)}")
        return list(value)

    cfg = Config(path=path)
    if "select" in table:
        cfg.select = codes(table["select"], "select")
    if "ignore" in table:
        cfg.ignore = codes(table["ignore"], "ignore")
    sev = table.get("severity", {})
    if not isinstance(sev, dict):
        raise SendkgError(f"{path}:{line('severity')}: 'severity' must be a table of code = \"violation\", "
                          "\"warning\" or \"info\"")
    for code, level in sev.items():
        if code not in rules():
            raise unknown_code(code, f"{path}:{_line_of(text, code, start)}")
        if level not in SEVERITIES:
            raise SendkgError(f"{path}:{_line_of(text, code, start)}: severity of '{code}' is '{level}'; "
                              f"give one of {', '.join(SEVERITIES)}")
    cfg.severity = dict(sev)
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise SendkgError(f"{path}:{line('per-file-ignores')}: 'per-file-ignores' must be a table of "
                          "glob = [codes]")
    cfg.per_file_ignores = {glob: codes(value, glob) for glob, value in pfi.items()}
    return cfg


def find_config(folder: Path) -> Config:
    """The configuration that applies to a page in ``folder``: the nearest one upward (ruff's rule)."""
    return _find(folder.resolve())


@lru_cache(maxsize=None)
def _find(folder: Path) -> Config:
    for d in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            candidate = d / name
            if candidate.is_file():
                cfg = load_config(candidate)
                if cfg is not None:
                    return cfg
    return Config()


@dataclass(frozen=True)
class Options:
    """What the command line says over the configuration files, as ruff's options do: ``config``
    (--config FILE instead of the search), ``select`` (replaces the file's) and ``ignore`` (added)."""

    config: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()

    def __post_init__(self):
        for option, codes in (("--select", self.select or ()), ("--ignore", self.ignore)):
            for c in codes:
                if c not in rules() and not (option == "--select" and c == "ALL"):
                    raise unknown_code(c, option)


def parse_codes(values) -> tuple[str, ...]:
    """Codes given as --select A,B --select C."""
    return tuple(c.strip() for v in values for c in v.split(",") if c.strip())


def config_for(page: Path, override: "Path | Options | None" = None) -> Config:
    opts = override if isinstance(override, Options) else Options(config=override)
    cfg = _load_override(Path(opts.config).resolve()) if opts.config is not None else find_config(page.parent)
    if opts.select is None and not opts.ignore:
        return cfg
    return Config(path=cfg.path, select=list(opts.select) if opts.select is not None else cfg.select,
                  ignore=[*cfg.ignore, *opts.ignore], severity=cfg.severity, per_file_ignores=cfg.per_file_ignores)


@lru_cache(maxsize=None)
def _load_override(path: Path) -> Config:
    if not path.is_file():
        raise SendkgError(f"--config {_shown(path)}: no such file; give a .sendkg.toml or pyproject.toml")
    cfg = load_config(path)
    if cfg is None:
        raise SendkgError(f"--config {_shown(path)}: no [tool.sendkg] table in it; add [tool.sendkg.lint]")
    return cfg


# ------------------------------------------------------------------ suppression in a page
COMMENT = re.compile(r"(?:<!--|\[//\]:\s*#\s*\()\s*sendkg:\s*(ignore|ignore-file)\s*\[([^\]]*)\]\s*(?:-->|\))")


@dataclass
class Suppression:
    line: int  # where the comment stands
    column: int
    codes: list[str]
    applies_to: int | None  # the line it suppresses; None for the whole file
    used: set[str] = field(default_factory=set)


def suppressions(page: Path) -> list[Suppression]:
    """The suppression comments of a page (none when it cannot be read: lint reports that itself)."""
    try:
        text = page.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines):
        for m in COMMENT.finditer(line):
            codes = [c.strip() for c in m.group(2).split(",") if c.strip()]
            where = f"{page}:{i + 1}"
            if not codes:
                raise SendkgError(f"{where}: 'sendkg: {m.group(1)}[]' names no code; name the codes to suppress")
            for c in codes:
                if c not in rules():
                    raise unknown_code(c, where)
            if m.group(1) == "ignore-file":
                target = None
            elif line[: m.start()].strip():  # after text: its own line
                target = i + 1
            else:  # alone: the next line with text
                target = next((j + 1 for j in range(i + 1, len(lines))
                               if lines[j].strip() and not COMMENT.fullmatch(lines[j].strip())), i + 2)
            out.append(Suppression(i + 1, m.start() + 1, codes, target))
    return out


# ------------------------------------------------------------------ the filter lint applies
def apply(reports, override: "Path | Options | None" = None):
    """Apply each page's configuration (``override``: a configuration file to use instead, or the
    command line's Options) and suppression comments to its findings (in place), and add an
    ``unused-suppression`` finding for each code a comment names but no finding needed."""
    for report in reports:
        page = Path(report.path)
        cfg = config_for(page, override)
        kept = [f for f in report.findings if cfg.enabled(f.code, page)]
        marks = suppressions(page)
        out = []
        for f in kept:
            hit = next((s for s in marks if f.code in s.codes and s.applies_to in (None, f.line)), None)
            if hit is None:
                out.append(f)
            else:
                hit.used.add(f.code)
        if cfg.enabled(UNUSED, page):
            for s in marks:
                for code in s.codes:
                    if code not in s.used and cfg.enabled(code, page):
                        scope = "in this file" if s.applies_to is None else f"on line {s.applies_to}"
                        out.append(Finding(
                            severity=rules()[UNUSED]["severity"], code=UNUSED,
                            message=f"suppression of '{code}' is unused: there is no {code} finding {scope}; "
                                    "remove it", source="", document=str(page), line=s.line, focus="",
                            column=s.column))
        for f in out:
            f.severity = cfg.severity.get(f.code, f.severity)
        out.sort(key=lambda f: (f.line or 0, f.column or 0, SEVERITIES.index(f.severity), f.code))
        report.findings = out
    return reports

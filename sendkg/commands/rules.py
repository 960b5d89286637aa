"""`sendkg rule CODE`: what a finding code means and its legal basis, as `ruff rule` explains a rule.
Everything shown is data in the shapes (skg:findingCode, sh:severity, skos:definition, rdfs:comment,
skos:example, dcterms:source); a new shape is explained with no change here."""

from __future__ import annotations

import textwrap

import click

from sendkg.commands.output import emit_json


def _text(rule: dict) -> str:
    from sendkg.render.sarif import help_uri

    def wrap(text: str, indent: str = "") -> list[str]:
        return textwrap.wrap(text, 100, initial_indent=indent, subsequent_indent=indent) or [""]

    lines = [f"{rule['code']} ({', '.join(rule['severities'])})", "", *wrap(rule["summary"][:1].upper() + rule["summary"][1:] + ".")]
    if rule["description"]:
        lines += ["", *wrap(rule["description"])]
    if rule["example"]:
        lines += ["", "Example:", *wrap(rule["example"], "  ")]
    lines += ["", "Legal basis:"]
    if rule["sources"]:
        for s in rule["sources"]:
            lines.append(f"  {s['citation']} [{s['status'] or 'unverified'}]" + (f" {s['iri']}" if s["iri"] else ""))
    else:
        lines.append("  none: this code is not about the law")
    lines += ["", f"Help: {help_uri(rule)}",
              f"Suppress on a page: <!-- sendkg: ignore[{rule['code']}] --> (next line) or "
              f"<!-- sendkg: ignore-file[{rule['code']}] -->"]
    return "\n".join(lines)


@click.command()
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="List every finding code.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rule(code, show_all, fmt):
    """Explain a finding code of `check` and `lint`: what it means, an example, its legal basis."""
    from sendkg.errors import SendkgError
    from sendkg.lintconfig import rules, unknown_code

    known = rules()
    if show_all == bool(code):
        raise SendkgError("give one finding code (sendkg rule superseded-term) or --all")
    if code and code not in known:
        raise unknown_code(code, "sendkg rule")
    chosen = list(known.values()) if show_all else [known[code]]
    if fmt == "json":
        emit_json(chosen if show_all else chosen[0])
    elif show_all:
        width = max(len(r["code"]) for r in chosen)
        levels = max(len("/".join(r["severities"])) for r in chosen)
        for r in chosen:
            basis = "; ".join(s["citation"] for s in r["sources"]) or "not about the law"
            click.echo(f"{r['code']:<{width}}  {'/'.join(r['severities']):<{levels}}  {r['summary']} [{basis}]")
    else:
        click.echo(_text(chosen[0]))


COMMANDS = [rule]

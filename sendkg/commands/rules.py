"""`sendkg rule CODE`: what a finding code means and its legal basis, as `ruff rule` explains a rule.
Everything shown is data in the shapes (skg:findingCode, sh:severity, skos:definition, rdfs:comment,
skos:example, skg:rightExample, dcterms:source); a new shape is explained with no change here. Help: is
the code's page on the documentation site (sendkg.links.rule_url)."""

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
    if rule.get("right_example"):
        lines += ["", "Right:", *wrap(rule["right_example"], "  ")]
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
@click.option("--coverage", "show_coverage", is_flag=True,
              help="List every time limit, statement and superseded name of the model: whether lint can read a claim "
                   "about it, and whether the development set has a wrong and a right sentence for it.")
@click.option("--dev", "dev", type=click.Path(path_type=__import__("pathlib").Path), default=None,
              help="With --coverage: the development set's folder (default: tests/scenarios/lint-dev of the checkout).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rule(code, show_all, show_coverage, dev, fmt):
    """Explain a finding code of `check` and `lint`: what it means, an example, its legal basis."""
    from sendkg.errors import SendkgError
    from sendkg.lintconfig import rules, unknown_code

    if show_coverage:
        from sendkg.coverage import coverage, render

        if code or show_all:
            raise SendkgError("--coverage lists the whole model; give it without a code or --all")
        if dev is not None and not dev.is_dir():
            raise SendkgError(f"{dev}: not a folder; give the folder of the development set (sentences-*.toml)")
        result = coverage(dev)
        if fmt == "json":
            emit_json(result)
        else:
            click.echo(render(result))
        return
    known = rules()
    if show_all == bool(code):
        raise SendkgError("give one finding code (sendkg rule superseded-term), --all or --coverage")
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

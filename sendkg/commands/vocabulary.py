"""`sendkg vocabulary`: every identifier a user can write, with its label (queries/vocabulary.rq)."""

from __future__ import annotations

import click

from sendkg.commands.output import emit_csv, emit_json

KINDS = ["decisions", "routes", "conditions", "time-limits", "events", "parties", "terms", "providers", "codes"]


def vocabulary_rows(model, kind: str | None = None) -> list[dict]:
    """Rows {kind, id, label, comment, iri} from queries/vocabulary.rq over the model (with the
    user's --data), the known authorities (their providers) and the shapes (the finding codes)."""
    from sendkg.resources import offer_files, resource_dir
    from sendkg.store import EmbeddedStore, load_query

    query = load_query("vocabulary")
    params = {"kind": kind} if kind else {}
    rows = model.store.select(query, params, source="queries/vocabulary.rq")
    # providers are named by authorities' files, finding codes by the shapes: neither is the model
    extra = EmbeddedStore([*offer_files(), resource_dir("shapes") / "authority.ttl"])
    rows += [r for r in extra.select(query, params, source="queries/vocabulary.rq")
             if r["kind"] in ("providers", "codes")]
    seen, out = set(), []
    for r in sorted(rows, key=lambda r: (KINDS.index(r["kind"]), r["id"], not r["label"], r["label"] or "")):
        if (r["kind"], r["id"]) in seen:
            continue
        seen.add((r["kind"], r["id"]))
        out.append({"kind": r["kind"], "id": r["id"], "label": r["label"] or "", "comment": r["comment"] or "",
                    "iri": r["iri"]})
    return out


@click.command()
@click.argument("kind", required=False, metavar="[" + "|".join(KINDS) + "]")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.pass_obj
def vocabulary(obj, kind, fmt):
    """List every identifier of KIND (all kinds when none is given) with its label.

    These are the names to use in --condition, --event, authority files and queries.
    """
    if kind is not None and kind not in KINDS:
        from sendkg.errors import UnknownIdentifier

        raise UnknownIdentifier(f"unknown kind '{kind}': give one of {', '.join(KINDS)} (or none, for all)")
    rows = vocabulary_rows(obj.model, kind)
    if fmt == "json":
        emit_json(rows)
    elif fmt == "csv":
        emit_csv(["kind", "id", "label", "comment", "iri"], rows)
    else:
        from sendkg.render.table import grid

        click.echo(grid(["id", "label"] if kind else ["kind", "id", "label"], rows))


COMMANDS = [vocabulary]

"""Generate an England-scale data set, deterministically from a seed: the five real authorities
plus generated ones (cloned from the real files with new identities and small variations: claims
dropped, a time limit or a citation made wrong, a superseded name added), and pages for `lint`
(cloned from the seed pages with the same kinds of variation).

    python benchmarks/generate.py OUT_DIR --authorities 153 [--pages 153] [--seed 1]

Writes OUT_DIR/offers/*.ttl, OUT_DIR/pages/*.txt and OUT_DIR/merged.ttl (model + authorities in one
file, for the plain-library baseline). The output is not committed (benchmarks/data/ is ignored).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFERS = ROOT / "offers"
# the seed pages: SENDKG_SEEDS, else shared/seeds beside the checkout (or beside its worktrees' folder)
SEEDS = next((p for p in (Path(os.environ.get("SENDKG_SEEDS", "/nonexistent")), ROOT.parent / "shared" / "seeds",
                          ROOT.parent.parent / "shared" / "seeds") if p.is_dir()), ROOT.parent / "shared" / "seeds")
if not SEEDS.is_dir():  # a git worktree: the same seed pages are kept in tests/seeds
    SEEDS = ROOT / "tests" / "seeds"


def vary_offer(text: str, slug: str, n: int, rng: random.Random) -> str:
    old = re.search(r'dcterms:identifier "([^"]+)"', text).group(1)
    text = text.replace(f'dcterms:identifier "{old}"', f'dcterms:identifier "{slug}"', 1)
    text = re.sub(r'rdfs:label "([^"]+)" ; skg:gssCode "E\d+"',
                  lambda m: f'rdfs:label "Generated authority {n}" ; skg:gssCode "E10{n:06d}"', text, count=1)
    text = re.sub(r'rdfs:label "Unnamed authority \(seed 002\)"', f'rdfs:label "Generated authority {n}"', text)
    text = text.replace(f"/id/authority/{old}", f"/id/authority/{slug}").replace(f"a:{old} ", f"a:{slug} ")
    text = text.replace(f"skg:about a:{old}", f"skg:about a:{slug}")
    text = re.sub(r"/id/offer/[a-z0-9-]+/", f"/id/offer/{slug}/", text)
    blocks = text.split("\n\n")
    out = []
    for b in blocks:
        if "skg:TimeLimitClaim" in b and rng.random() < 0.1:
            b = re.sub(r"skg:statedDuration (\d+)", lambda m: f"skg:statedDuration {int(m.group(1)) + 1}", b)
        out.append(b)
    lines = []
    for line in "\n\n".join(out).splitlines():
        if re.match(r"x:\S+ a skg:(RouteClaim|CitationClaim|TermClaim)", line) and rng.random() < 0.15:
            continue  # this authority's page does not say it
        if "skg:citedFirst 45 ; skg:citedLast 45" in line and rng.random() < 0.2:
            line = line.replace("skg:citedFirst 45 ; skg:citedLast 45", "skg:citedFirst 6 ; skg:citedLast 6")
        lines.append(line)
    return "\n".join(lines) + "\n"


def vary_page(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if "two months from the date of that decision" in line and rng.random() < 0.1:
            lines[i] = line.replace("two months from the date of that decision", "three months from the date of that decision")
        if "Integrated Care Board" in line and rng.random() < 0.3:
            lines[i] = line.replace("Integrated Care Board", "Clinical Commissioning Group")
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--authorities", type=int, default=153)
    ap.add_argument("--pages", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    offers = args.out / "offers"
    offers.mkdir(parents=True, exist_ok=True)
    real = sorted(OFFERS.glob("*.ttl"))
    for f in real:
        (offers / f.name).write_text(f.read_text())
    for n in range(1, args.authorities - len(real) + 1):
        template = real[n % len(real)]
        slug = f"generated-{n:04d}"
        (offers / f"{slug}.ttl").write_text(vary_offer(template.read_text(), slug, n, rng))
    if args.pages:
        if not SEEDS.is_dir():
            sys.exit(f"{SEEDS}: the seed pages are needed to generate pages")
        pages = args.out / "pages"
        pages.mkdir(exist_ok=True)
        seeds = sorted(SEEDS.glob("*.txt"))
        for n in range(args.pages):
            seed = seeds[n % len(seeds)]
            (pages / f"page-{n:04d}.txt").write_text(vary_page(seed.read_text(encoding="utf-8"), rng))
    # one merged file for the plain-library baseline
    sys.path.insert(0, str(ROOT))
    from sendkg.resources import model_files
    from sendkg.store import EmbeddedStore
    import pyoxigraph as ox

    store = EmbeddedStore([*model_files(), *sorted(offers.glob("*.ttl"))])
    (args.out / "merged.nt").write_bytes(store.dump())
    print(f"{args.out}: {len(list(offers.glob('*.ttl')))} authorities, {len(store)} triples"
          + (f", {args.pages} pages" if args.pages else ""))


if __name__ == "__main__":
    main()

"""`sendkg lint` in batches and in worker processes (issue 21): the same findings, in the same order,
whatever the batch size and the number of processes; pages read and checked a batch at a time; the
configuration and the suppression comments applied in the workers as in one process."""

import json
import random
import sys
from pathlib import Path

import pytest

import sendkg.lint as lint_module
import sendkg.workers
from sendkg.errors import SendkgError
from sendkg.lint import as_json, lint, render_text

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "benchmarks"))
from generate import vary_page  # noqa: E402  (the benchmark's pages: wrong limits, superseded names)

SEEDS = sorted((HERE / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The five seeds and seven pages generated from them as the benchmark generates its pages."""
    root = tmp_path_factory.mktemp("lint-pages")
    rng = random.Random(1)
    out = []
    for seed in SEEDS:
        out.append(root / seed.name)
        out[-1].write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    for n in range(7):
        page = root / f"page-{n:04d}.txt"
        page.write_text(vary_page(SEEDS[n % len(SEEDS)].read_text(encoding="utf-8"), rng), encoding="utf-8")
        out.append(page)
    return out


def shown(reports) -> str:
    return json.dumps(as_json(reports, "2026-11-23"), indent=2) + render_text(reports, "2026-11-23")


@pytest.fixture(scope="module")
def alone(pages):
    return shown(lint(pages, jobs=1, batch_pages=10_000))


def batch_sizes(monkeypatch) -> list[int]:
    """The number of pages of each batch lint reads and checks in this process, as it goes."""
    sizes = []
    batch = lint_module.Linter.batch

    def spy(self, paths, progress=None):
        sizes.append(len(paths))
        return batch(self, paths, progress)

    monkeypatch.setattr(lint_module.Linter, "batch", spy)
    return sizes


def test_batches_of_two_give_the_findings_of_one_batch(pages, alone, monkeypatch):
    sizes = batch_sizes(monkeypatch)
    got = shown(lint(pages, jobs=1, batch_pages=2))
    assert sizes == [2, 2, 2, 2, 2, 2]  # 12 pages, read and checked two at a time
    assert got == alone
    assert json.loads(alone[:alone.rindex("}") + 1])["summary"]["warning"] > 10  # the comparison says something


def test_two_worker_processes_give_the_findings_of_one(pages, alone, monkeypatch):
    used = []
    in_order = sendkg.workers.in_order

    def spy(batches, work, init, args, workers, done=None):
        used.append((len(batches), workers))
        yield from in_order(batches, work, init, args, workers, done)

    monkeypatch.setattr(sendkg.workers, "in_order", spy)
    ticks = []
    got = shown(lint(pages, jobs=2, batch_pages=3, progress=ticks.append))
    assert used == [(4, 2)]  # four batches of three pages shared between two processes
    assert got == alone
    assert sorted(map(str, ticks)) == sorted(map(str, pages))  # progress: each page once


def test_a_site_is_one_batch(pages, monkeypatch):
    sizes = batch_sizes(monkeypatch)
    reports = lint(pages[:5], site="seeds", jobs=2, batch_pages=2)
    assert sizes == [5]  # what a site leaves out is judged over all its pages at once
    assert reports[0].site and [Path(r.path).name for r in reports[1:]] == [p.name for p in pages[:5]]


def test_configuration_and_suppressions_apply_in_the_workers(tmp_path, pages):
    """[tool.sendkg.lint] found upward from each page, and a page's own suppression comment, in a
    worker process as in this one."""
    plain = lint(pages[:6], jobs=1)
    assert any(f.code == "superseded-term" for r in plain for f in r.findings)
    limited = next(i for i, r in enumerate(plain) if any(f.code == "wrong-anchor" for f in r.findings))
    site = tmp_path / "site"
    site.mkdir()
    (site / "pyproject.toml").write_text('[tool.sendkg.lint]\nignore = ["superseded-term"]\n')
    copies = []
    for p in pages[:6]:
        copies.append(site / p.name)
        copies[-1].write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    text = copies[limited].read_text(encoding="utf-8")
    copies[limited].write_text("<!-- sendkg: ignore-file[wrong-anchor] -->\n" + text, encoding="utf-8")
    one = lint(copies, jobs=1)
    two = lint(copies, jobs=2, batch_pages=2)
    assert shown(two) == shown(one)
    assert not any(f.code == "superseded-term" for r in one for f in r.findings)
    assert not any(f.code == "wrong-anchor" for f in one[limited].findings)
    assert sum(len(r.findings) for r in one) > 0


def test_a_bad_suppression_in_a_worker_is_one_line(tmp_path, pages):
    copies = []
    for p in pages[:4]:
        copies.append(tmp_path / p.name)
        copies[-1].write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    copies[3].write_text("<!-- sendkg: ignore[no-such-code] -->\n" + copies[3].read_text(encoding="utf-8"))
    with pytest.raises(SendkgError, match="unknown finding code 'no-such-code'"):
        lint(copies, jobs=2, batch_pages=2)


def test_jobs_default_is_one_process_per_processor_from_100_pages():
    assert sendkg.workers.wanted(0, 99) == 1
    assert sendkg.workers.wanted(0, 100) == sendkg.workers.jobs_auto()
    assert sendkg.workers.wanted(1, 10_000) == 1 and sendkg.workers.wanted(3, 5) == 3
    assert lint_module.batches([Path(str(i)) for i in range(5)], 2) == [[Path("0"), Path("1")], [Path("2"), Path("3")],
                                                                          [Path("4")]]


def test_jobs_must_be_a_sane_number(cli, pages):
    r = cli("lint", pages[0], "--jobs", "-1")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--jobs" in r.stderr, r.stderr

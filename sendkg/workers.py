"""Worker processes for the commands that read many pages (`study`, `lint`): batches of work shared
among processes started afresh (spawned, not forked, so no store or lock of the parent is shared),
their results given back in the batches' order, with at most two batches a worker in flight so
that finished results never pile up in memory."""

from __future__ import annotations

from typing import Callable, Iterator, Sequence

PARALLEL_FROM = 100
"""Pages from which ``jobs=0`` uses worker processes: below it, starting them (about a second each,
to load the vocabulary) costs more than it saves."""


def jobs_auto() -> int:
    """The processors this process may run on (``--jobs 0``)."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def wanted(jobs: int, pages: int) -> int:
    """The processes ``--jobs`` asks for: ``0`` is one per processor from PARALLEL_FROM pages (one
    below), any other number that many."""
    return (jobs_auto() if pages >= PARALLEL_FROM else 1) if jobs == 0 else max(1, jobs)


def check_jobs(jobs: int) -> None:
    """--jobs out of range: one line."""
    from sendkg.errors import SendkgError

    if jobs < 0 or jobs > 256:
        raise SendkgError(f"--jobs {jobs}: give a number of worker processes from 1 to 256 (or 0: one per processor)")


_STATE: dict = {}


def _start(offers: list[str], init: Callable, args: tuple) -> None:
    import signal

    from sendkg.resources import use_offers

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the workers
    use_offers(offers)  # the parent's --offers folders (a new process starts without them)
    _STATE["context"] = init(*args)


def _run(work: Callable, batch):
    return work(_STATE["context"], batch)


def in_order(batches: Sequence, work: Callable, init: Callable, args: tuple, workers: int,
             done: Callable | None = None) -> Iterator:
    """``work(context, batch)`` for each batch, in ``workers`` processes, each of which builds its
    ``context = init(*args)`` once; the results in the batches' order (``done(batch)`` as each is
    handed back). ``work`` and ``init`` are module-level functions or classes (sent by name)."""
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    from sendkg.resources import offer_dirs

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start, initargs=([str(d) for d in offer_dirs()[1:]], init, args))
    try:
        pending: deque = deque()
        todo = iter(batches)
        for batch in todo:
            pending.append((batch, pool.submit(_run, work, batch)))
            if len(pending) >= 2 * workers:
                break
        while pending:
            batch, future = pending.popleft()
            result = future.result()
            nxt = next(todo, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(_run, work, nxt)))
            if done:
                done(batch)
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)

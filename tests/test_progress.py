"""Long work reports progress (done, total) for a bar on a terminal; never on a pipe."""

import subprocess
import sys

from sendkg.authorities import check, known_authorities
from sendkg.compare import compare


def _recorder():
    calls = []
    return calls, lambda done, total: calls.append((done, total))


def _assert_counts_up_to_the_end(calls):
    assert len(calls) >= 3
    totals = {t for _, t in calls}
    assert len(totals) == 1
    done = [d for d, _ in calls]
    assert done == sorted(done) and done[0] == 1 and done[-1] == totals.pop()


def test_check_reports_each_file_and_each_check():
    authorities = list(known_authorities().values())
    calls, progress = _recorder()
    check(authorities, progress=progress)
    _assert_counts_up_to_the_end(calls)
    # at least one step per authority file read
    assert calls[-1][1] >= len({a.path for a in authorities})


def test_compare_reports_progress_through_its_check():
    calls, progress = _recorder()
    compare(list(known_authorities().values()), progress=progress)
    _assert_counts_up_to_the_end(calls)


def test_no_progress_bar_when_output_is_piped():
    for args in (["check"], ["compare"]):
        out = subprocess.run([sys.executable, "-m", "sendkg", *args], capture_output=True, text=True, cwd="/")
        assert "%" not in out.stderr and "[#" not in out.stderr, out.stderr

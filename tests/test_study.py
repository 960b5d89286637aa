"""`sendkg study`: folders or a CSV of pages (files or URLs on a loopback server) to a dataset and a
report; --since says what changed. Pages here are written in our own words."""

import csv
import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

GOOD = """# Disagreeing with a decision
Before you can appeal to the Tribunal you must contact a mediation adviser and get a mediation
certificate; you do not have to go to mediation itself.
You can appeal to the Tribunal within two months of the date the decision was sent, or one month
from the date of the mediation certificate if that is later.
If your appeal is only about the school named in section I you do not need a certificate.
Our SENDIASS gives free advice. Disagreement resolution is run by Global Mediation.
You can make a complaint to the council and then to the Local Government and Social Care Ombudsman.
"""
OLD = """# Help for families
Northamptonshire County Council SEND team: ask the Parent Partnership service for help.
You can appeal to the Tribunal within 6 weeks of the date of the decision.
"""


@pytest.fixture
def pages(tmp_path):
    root = tmp_path / "pages"
    (root / "milton-keynes").mkdir(parents=True)
    (root / "milton-keynes" / "disagree.md").write_text(GOOD)
    (root / "West Northamptonshire").mkdir()
    (root / "West Northamptonshire" / "help.md").write_text(OLD)
    return root


def test_folders_to_dataset_and_report(cli, pages, tmp_path):
    out = tmp_path / "out"
    r = cli("study", pages, "-o", out)
    assert r.returncode == 0, r.stderr
    data = json.loads((out / "study.json").read_text())
    by_id = {a["id"]: a for a in data["authorities"]}
    assert set(by_id) == {"milton-keynes", "west-northamptonshire"}
    mk, wn = by_id["milton-keynes"], by_id["west-northamptonshire"]
    assert mk["gss_code"] == "E06000042" and mk["categories"]["tribunal-appeals"] and mk["categories"]["mediation"]
    assert mk["completeness"] > wn["completeness"]
    # a wrong limit (6 weeks for the appeal; HESC Rules r.20(1)(c): 2 months) is found, with its words and line
    wrong = [f for f in wn["findings"] if f["code"] == "wrong-time-limit"]
    assert wrong and wrong[0]["line"] == 3 and wrong[0]["page"].endswith("help.md")
    assert wn["accuracy"] is not None and wn["accuracy"] < 1
    # the abolished county council the page speaks for (Northamptonshire (Structural Changes) Order 2020)
    assert any("abolished on 2021-04-01" in s["why"] for s in wn["out_of_date_names"])
    rows = list(csv.DictReader((out / "features.csv").open()))
    tl = [x for x in rows if x["authority"] == "milton-keynes" and x["feature"] == "tribunal_time_limit"][0]
    assert tl["present"] == "True" and tl["line"] == "4" and "two months" in tl["quote"]
    cats = list(csv.DictReader((out / "categories.csv").open()))
    assert {c["authority"] for c in cats} == {"milton-keynes", "west-northamptonshire"}
    html = (out / "report.html").read_text()
    assert 'id="heatmap"' in html and "a-west-northamptonshire" in html and "<mark>" in html
    own = (out / "authorities" / "west-northamptonshire.html").read_text()
    assert "wrong-time-limit" in own and "../report.html" in own


def test_since_says_what_changed(cli, pages, tmp_path):
    first = tmp_path / "first"
    assert cli("study", pages, "-o", first).returncode == 0
    (pages / "West Northamptonshire" / "help.md").write_text(GOOD.replace("Global Mediation", "a provider"))
    second = tmp_path / "second"
    r = cli("study", pages, "-o", second, "--since", first / "study.json")
    assert r.returncode == 0, r.stderr
    changes = json.loads((second / "changes.json").read_text())
    wn = [c for c in changes["authorities"] if c["id"] == "west-northamptonshire"][0]
    assert "mediation" in wn["categories_gained"]
    assert any(f["code"] == "wrong-time-limit" for f in wn["findings_gone"])
    assert "Changes since" in (second / "report.html").read_text()
    # both files are valid against the schemas shipped in the package (sendkg/schemas/)
    from test_schemas import valid

    valid("study", json.loads((second / "study.json").read_text()))
    valid("study-changes", changes)


@contextmanager
def loopback(respond):
    """A web server on 127.0.0.1 answering GET with ``respond(path)``: (status, type, body) or
    (status, type, body, headers); its URL."""
    class H(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):  # noqa: N802
            status, kind, body, *more = respond(self.path)
            self.send_response(status)
            for name, value in (more[0] if more else {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_csv_of_urls_is_fetched_through_the_cache(cli, tmp_path):
    def respond(path):
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nAllow: /\n"
        page = "<html><body><main>" + "".join(f"<p>{line}</p>" for line in GOOD.splitlines()) + "</main></body></html>"
        return 200, "text/html; charset=utf-8", page.encode()

    with loopback(respond) as base:
        listing = tmp_path / "pages.csv"
        listing.write_text(f"authority,url\nE06000042,{base}/send/disagree\n")
        out = tmp_path / "out"
        r = cli("study", "--list", listing, "-o", out, "--cache", tmp_path / "cache", "--delay", "0", "--allow-private")
        assert r.returncode == 0, r.stderr
        a = json.loads((out / "study.json").read_text())["authorities"][0]
        assert a["id"] == "milton-keynes" and a["pages"][0]["url"].endswith("/send/disagree")
        assert a["pages"][0]["sha256"].startswith("sha256:") and a["pages"][0]["retrieved_at"]
        assert a["categories"]["tribunal-appeals"]
        assert all(f["url"].endswith("/send/disagree") for f in a["findings"] if f["page"])
        # each finding says where and when its page was read (the cache's record, PROV-O in the graph)
        assert all(f["retrieved_at"] == a["pages"][0]["retrieved_at"] for f in a["findings"] if f["page"])
        assert a["findings"] and any(f["page"] for f in a["findings"])


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the socket is: nothing listens there


def test_an_unreachable_url_is_named_with_its_reason(cli, tmp_path):
    """A list whose only URL cannot be reached said "no pages found ... (or no page could be fetched)",
    naming neither the URL nor the error (issue 22): one line naming the list's line, the URL and why;
    beside pages that could be read, a warning line for each URL that could not, and the study goes on."""
    url = f"http://127.0.0.1:{_closed_port()}/send/appeals"
    listing = tmp_path / "pages.csv"
    listing.write_text(f"authority,url\nhartlepool,{url}\n")
    r = cli("study", "--list", listing, "-o", tmp_path / "out", "--cache", tmp_path / "cache", "--delay", "0")
    lines = [x for x in r.stderr.splitlines() if x.strip() and not x.startswith(("fetching", "studying"))]
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert len(lines) == 1 and "pages.csv:2" in lines[0] and url in lines[0] and "not fetched (" in lines[0], r.stderr
    (tmp_path / "mk.md").write_text(GOOD)
    listing.write_text(f"authority,url\nmilton-keynes,mk.md\nhartlepool,{url}\n")
    r = cli("study", "--list", listing, "-o", tmp_path / "out", "--cache", tmp_path / "cache", "--delay", "0")
    assert r.returncode == 0, r.stderr
    warned = [x for x in r.stderr.splitlines() if x.startswith("sendkg: warning:")]
    assert len(warned) == 1 and "pages.csv:3" in warned[0] and url in warned[0], r.stderr


def test_every_url_not_fetched_is_named_with_its_reason(cli, tmp_path):
    """Issue 23 item 4: beside a page that was read, each URL that was not is one warning naming the
    list's line, the URL and why: a 404, a page robots.txt refuses, a server that answers nothing."""
    def respond(path):
        return (200, "text/plain", b"User-agent: *\nDisallow: /private/\n") if path == "/robots.txt" else (404, "text/plain", b"gone")

    with loopback(respond) as base:
        closed = f"http://127.0.0.1:{_closed_port()}/send/appeals"
        (tmp_path / "mk.md").write_text(GOOD)
        listing = tmp_path / "pages.csv"
        listing.write_text(f"authority,url\nmilton-keynes,mk.md\nhartlepool,{base}/send/moved\n"
                           f"leeds,{base}/private/send\nbury,{closed}\n")
        r = cli("study", listing, "-o", tmp_path / "out", "--cache", tmp_path / "cache", "--delay", "0",
                "--allow-private", "--retries", "0")
        assert r.returncode == 0, r.stderr
        warned = [x for x in r.stderr.splitlines() if x.startswith("sendkg: warning:")]
        assert len(warned) == 3, r.stderr
        for line, url, why in ((3, f"{base}/send/moved", "404"), (4, f"{base}/private/send", "robots"),
                               (5, closed, "not fetched (")):
            said = [w for w in warned if f"pages.csv:{line}:" in w]
            assert len(said) == 1 and url in said[0] and "not fetched (" in said[0] and why in said[0], (why, r.stderr)


def test_a_list_given_as_the_argument_is_read_as_list_reads_it(cli, tmp_path):
    """Issue 23 item 4: `sendkg study pages.csv` was refused ("is a file"); now it is `--list pages.csv`."""
    (tmp_path / "mk.md").write_text(GOOD)
    (tmp_path / "pages.csv").write_text("authority,url\nmilton-keynes,mk.md\n")
    runs = {}
    for how, args in (("argument", [tmp_path / "pages.csv"]), ("option", ["--list", tmp_path / "pages.csv"])):
        r = cli("study", *args, "-o", tmp_path / how)
        assert r.returncode == 0, r.stderr
        runs[how] = json.loads((tmp_path / how / "study.json").read_text())["authorities"]
    assert [a["id"] for a in runs["argument"]] == ["milton-keynes"]
    assert [f["code"] for f in runs["argument"][0]["findings"]] == [f["code"] for f in runs["option"][0]["findings"]]
    # a .txt list is read by the same reader (which says what a list needs)
    (tmp_path / "pages.txt").write_text("https://example.org/send\n")
    r = cli("study", tmp_path / "pages.txt", "-o", tmp_path / "txt", "--offline")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "pages.txt:1" in r.stderr and "'authority' column" in r.stderr
    # a page is not a list: one line saying what to give
    r = cli("study", tmp_path / "mk.md", "-o", tmp_path / "page")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "sendkg lint" in r.stderr, r.stderr
    r = cli("study", tmp_path / "pages.csv", "--list", tmp_path / "pages.csv", "-o", tmp_path / "two")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "one list" in r.stderr, r.stderr


@pytest.mark.parametrize("setup,args,words", [
    (lambda p: (p / "nowhere-shire").mkdir(), ["{root}"], "not an authority"),
    (lambda p: (p / "x.csv").write_text("authority,url\nnowhere,a.html\n"), ["--list", "{root}/x.csv"], "x.csv:2"),
    (lambda p: (p / "x.csv").write_text("who,where\n"), ["--list", "{root}/x.csv"], "x.csv:1"),
    (lambda p: (p / "x.json").write_text("{}"), ["{root}", "--since", "{root}/x.json"], "--since"),
])
def test_bad_input_is_one_line(cli, tmp_path, setup, args, words):
    root = tmp_path / "in"
    root.mkdir()
    (root / "milton-keynes").mkdir()
    (root / "milton-keynes" / "p.md").write_text(GOOD)
    setup(root)
    r = cli("study", *[a.format(root=root) for a in args], "-o", tmp_path / "out")
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stderr.count("\n") == 1 and words in r.stderr


def test_authorities_lists_the_153(cli):
    r = cli("authorities", "--format", "json")
    assert r.returncode == 0 and len(json.loads(r.stdout)) == 153
    r = cli("authorities", "--all", "--format", "csv")
    assert "cumbria-county" in r.stdout and "2023-04-01" in r.stdout


# ---------------------------------------------------------------- memory at scale (issue 14, item 5)
# A study is read and checked a batch of authorities at a time, and written an authority at a time,
# so that memory follows the batch and not the study. The answers must not depend on the batches.
THIRD = """# Resolving disagreements
Talk to the school first. If you are unhappy with an EHC needs assessment decision you may appeal
to the SEND Tribunal within 2 months of the decision letter; mediation advice is needed first.
The Local Government Ombudsman looks at complaints about the council.
"""


@pytest.fixture
def three(tmp_path):
    root = tmp_path / "three"
    for name, pages in (("milton-keynes", [GOOD, THIRD]), ("West Northamptonshire", [OLD]),
                        ("E08000027", [THIRD, OLD, GOOD])):  # Dudley by its ONS code
        (root / name).mkdir(parents=True)
        for k, text in enumerate(pages):
            (root / name / f"p{k}.md").write_text(text)
    return root


def _groups(root):
    from sendkg.register import load_register
    from sendkg.study import groups_from_folders

    return groups_from_folders([root], load_register())


def test_batches_are_whole_authorities_in_order(three):
    from sendkg.study import batches

    groups = _groups(three)
    ids = [[g.authority.id for g in b] for b in batches(groups, 2)]
    assert ids == [["dudley"], ["milton-keynes"], ["west-northamptonshire"]]  # Dudley's 3 pages stay together
    ids = [[g.authority.id for g in b] for b in batches(groups, 3)]
    assert ids == [["dudley"], ["milton-keynes", "west-northamptonshire"]]
    assert len(batches(groups, 10_000)) == 1


def test_batches_do_not_change_the_answers(three):
    from datetime import date

    from sendkg.study import run

    day = date(2026, 11, 23)
    whole = run(_groups(three), day, batch_pages=10_000).as_json()
    one_by_one = run(_groups(three), day, batch_pages=1).as_json()
    assert whole == one_by_one
    dudley = [a for a in whole["authorities"] if a["id"] == "dudley"][0]
    # the 6 weeks of the old page is wrong (HESC Rules r.20(1)(c): 2 months), found in a batch of its own too
    assert any(f["code"] == "wrong-time-limit" for f in dudley["findings"])
    assert len(dudley["pages"]) == 3


def test_the_streamed_files_are_the_study(three, tmp_path):
    """The files written an authority at a time are byte for byte what the whole study in memory gives."""
    from datetime import date

    from sendkg.render.report import study_html
    from sendkg.render.study_files import StudyFiles
    from sendkg.study import authorities, categories, run

    day = date(2026, 11, 23)
    data = run(_groups(three), day).as_json()
    out = tmp_path / "out"
    with StudyFiles(out, categories(), day.isoformat()) as files:
        for a in authorities(_groups(three), day, batch_pages=2):
            files.add(a)
    assert (out / "study.json").read_text() == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    assert (out / "report.html").read_text() == study_html(data)
    assert sorted(p.name for p in (out / "authorities").iterdir()) == [
        "dudley.html", "milton-keynes.html", "west-northamptonshire.html"]
    assert len(list(csv.DictReader((out / "categories.csv").open()))) == 3
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # nothing left of the staging folder


def test_a_study_that_stops_leaves_the_earlier_files(three, tmp_path):
    from datetime import date

    from sendkg.render.study_files import StudyFiles
    from sendkg.study import authorities, categories

    out = tmp_path / "out"
    out.mkdir()
    (out / "study.json").write_text("earlier\n")
    day = date(2026, 11, 23)
    with pytest.raises(KeyboardInterrupt):
        with StudyFiles(out, categories(), day.isoformat()) as files:
            for n, a in enumerate(authorities(_groups(three), day, batch_pages=1)):
                if n == 2:
                    raise KeyboardInterrupt
                files.add(a)
    assert sorted(p.name for p in out.iterdir()) == ["study.json"]
    assert (out / "study.json").read_text() == "earlier\n"


def test_since_reads_an_earlier_study_cut_down(three, tmp_path):
    """--since keeps of an earlier study only what a comparison needs (not its evidence)."""
    from datetime import date

    from sendkg.errors import SendkgError
    from sendkg.study import load_previous, run

    path = tmp_path / "old.json"
    path.write_text(json.dumps(run(_groups(three), date(2026, 11, 23)).as_json()))
    prev = load_previous(path)
    mk = prev["authorities"]["milton-keynes"]
    assert set(mk) == {"id", "categories", "findings", "pages"} and mk["categories"]["tribunal-appeals"]
    assert mk["findings"] and all(set(f) == {"code", "message"} for f in mk["findings"])
    path.write_text('{"sendkg_study": 1, "authorities": {}}')
    with pytest.raises(SendkgError, match="not the JSON of a sendkg study"):
        load_previous(path)


# ---------------------------------------------------------------- England scale (issue 14: "study over
# generated England-scale pages produces the dataset and the report")
# A page per authority of the register (153), put together from sentences written here in our own
# words, chosen by the authority's place in the list so that each choice is known to the test: the
# appeal limit right or wrong, mediation advice said or not, the Ombudsman by its old name or not,
# an abolished council named or not. Folders are named by identifier, ONS code or name in turn.
APPEAL_RIGHT = ["You have two months from the date on the decision letter to appeal to the SEND Tribunal, or one "
                "month from the mediation certificate if that ends later.",
                "An appeal to the First-tier Tribunal must reach it within 2 months of the date the council sent "
                "its decision, or within a month of the certificate if that is later."]
APPEAL_WRONG = ["Appeals to the Tribunal have to be made within 6 weeks of the council's decision.",
                "You can appeal to the Tribunal within eight weeks of the date of the decision."]
MEDIATION = "Before an appeal you need to speak to a mediation adviser and get a certificate; mediation itself is your choice."
SENDIASS = "Our SENDIASS offers free, impartial advice to parents and young people."
OMBUDSMAN_NOW = "If our complaints process does not settle it, you can go to the Local Government and Social Care Ombudsman."
OMBUDSMAN_OLD = "If our complaints process does not settle it, you can go to the Local Government Ombudsman."
ABOLISHED = {"cumberland": "Cumbria County Council", "north-yorkshire": "North Yorkshire County Council",
             "somerset": "Somerset County Council", "west-northamptonshire": "Northamptonshire County Council"}


def england_pages(root):
    """Write the pages; return what each authority's page says (by identifier)."""
    from datetime import date

    from sendkg.register import load_register

    said = {}
    for n, a in enumerate(load_register().current(date(2026, 11, 23))):
        wrong = n % 3 == 0
        lines = ["# If you disagree with a decision about special educational needs", "",
                 (APPEAL_WRONG if wrong else APPEAL_RIGHT)[n % 2]]
        if n % 2 == 0:
            lines.append(MEDIATION)
        if n % 4 != 3:
            lines.append(SENDIASS)
        lines.append(OMBUDSMAN_OLD if n % 5 == 0 else OMBUDSMAN_NOW)
        if a.id in ABOLISHED:
            lines.append(f"This page is published by {ABOLISHED[a.id]}.")
        folder = root / [a.id, a.gss or a.id, a.label][n % 3]
        folder.mkdir(parents=True)
        (folder / "disagree.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        said[a.id] = {"wrong_limit": wrong, "mediation": n % 2 == 0, "old_ombudsman": n % 5 == 0,
                      "abolished": a.id in ABOLISHED}
    return said


def test_a_study_of_england(england_study):
    """All 153 authorities from folders named three ways: the dataset, the CSVs, the report and a page
    for each; what each page was written to say is what the study finds."""
    said, out, r = england_study
    assert r.returncode == 0, r.stderr
    data = json.loads((out / "study.json").read_text())
    by_id = {a["id"]: a for a in data["authorities"]}
    assert set(by_id) == set(said) and len(by_id) == 153
    for ident, s in said.items():
        a, codes = by_id[ident], {f["code"] for f in by_id[ident]["findings"]}
        # the appeal limit: 2 months (HESC Rules r.20(1)(c)); 6 or 8 weeks is wrong
        assert ("wrong-time-limit" in codes) == s["wrong_limit"], (ident, codes)
        assert a["categories"]["tribunal-appeals"]
        # mediation advice before an appeal (CFA 2014 s.55) said on half the pages
        assert a["categories"]["mediation"] == s["mediation"], ident
        # an old name is a superseded-term warning: the LGO's (its working name changed by July 2017)
        # and a council abolished by a Structural Changes Order, which is also out of date
        assert ("superseded-term" in codes) == (s["old_ombudsman"] or s["abolished"]), (ident, codes)
        assert bool(a["out_of_date_names"]) == s["abolished"], ident
    assert len(list(csv.DictReader((out / "categories.csv").open()))) == 153
    assert len({row["authority"] for row in csv.DictReader((out / "features.csv").open())}) == 153
    assert len(list((out / "authorities").glob("*.html"))) == 153
    assert (out / "report.html").read_text().count("<tr data-search=") == 153


def test_worker_processes_give_the_same_study(three):
    """--jobs: the batches shared among worker processes give the study one process gives, in order."""
    from datetime import date

    from sendkg.study import run

    day = date(2026, 11, 23)
    alone = run(_groups(three), day, batch_pages=1, jobs=1).as_json()
    shared = run(_groups(three), day, batch_pages=1, jobs=2).as_json()
    assert shared == alone and [a["id"] for a in shared["authorities"]] == ["dudley", "milton-keynes",
                                                                            "west-northamptonshire"]


def test_jobs_must_be_a_sane_number(cli, pages, tmp_path):
    r = cli("study", pages, "-o", tmp_path / "out", "--jobs", "-1")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--jobs" in r.stderr
    assert not (tmp_path / "out").exists()


def test_a_page_two_authorities_share_is_each_ones(tmp_path):
    """A page listed for two authorities (a joint SENDIASS page, say) is read as each one's, in any
    batch: its wrong limit (HESC Rules r.20(1)(c): 2 months, not 6 weeks) is found for both."""
    from datetime import date

    from sendkg.register import load_register
    from sendkg.study import groups_from_list, run

    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "shared.md").write_text(OLD.replace("Northamptonshire County Council", "The council"))
    listing = tmp_path / "pages.csv"
    listing.write_text("authority,url\nmilton-keynes,good.md\nmilton-keynes,shared.md\nwest-northamptonshire,shared.md\n")
    reg, day = load_register(), date(2026, 11, 23)
    whole = run(groups_from_list(listing, reg), day, batch_pages=10_000).as_json()
    apart = run(groups_from_list(listing, reg), day, batch_pages=1).as_json()
    assert whole == apart
    for a in whole["authorities"]:
        assert any(f["code"] == "wrong-time-limit" and f["page"].endswith("shared.md") for f in a["findings"]), a["id"]


@pytest.mark.parametrize("text", [
    '{"sendkg_study": 1, "authorities": [{"id": "x", "features": [], "findings": 5}]}',
    '{"sendkg_study": 1, "authorities": [{"id": ["x"], "features": [], "findings": []}]}',
    '{"sendkg_study": 1, "authorities": [{"id": "x", "features": [], "findings": [{"code": [1], "message": "m"}]}]}',
    '{"sendkg_study": 1, "authorities": [{"id": "x", "findings": "abc"}]}',
    '{"sendkg_study": 1, "authorities": [{"id": "x", "features": [], "findings": [], "pages": ["p"]}]}',
    '{"sendkg_study": 1, "authorities": [{"id": "x", "features": [], "findings": [], "pages": [{"page": 3}]}]}',
    '[1, 2]',
])
def test_a_malformed_earlier_study_is_one_line_before_the_work(cli, pages, tmp_path, text):
    old = tmp_path / "old.json"
    old.write_text(text)
    r = cli("study", pages, "-o", tmp_path / "out", "--since", old)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "not the JSON of a sendkg study" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()  # refused before any work or file


def test_what_is_in_the_way_of_the_files_is_one_line_before_the_work(cli, pages, tmp_path):
    out = tmp_path / "out"
    (out / "study.json").mkdir(parents=True)
    r = cli("study", pages, "-o", out)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "study.json: is a folder" in r.stderr
    (out / "study.json").rmdir()
    (out / "authorities").write_text("not a folder\n")
    r = cli("study", pages, "-o", out)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "authorities: is not a folder" in r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["authorities"]  # nothing else written, no staging left


def test_the_files_keep_their_mode_and_never_go_through_a_link(cli, pages, tmp_path):
    """Keeping an existing file's mode; a symbolic link where a file goes is refused in one line
    before the work (issue 22: one named study.json replaced an input page), its target untouched;
    a staging folder left by a killed study is cleared."""
    import os

    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere.json"
    out.mkdir()
    elsewhere.write_text("old\n")
    (out / "study.json").symlink_to(elsewhere)
    (out / "features.csv").write_text("old\n")
    os.chmod(out / "features.csv", 0o600)
    stale = out / ".sendkg-study-999999999-abc"  # no such process
    stale.mkdir()
    r = cli("study", pages, "-o", out)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "study.json: is a symbolic link" in r.stderr, r.stderr
    assert elsewhere.read_text() == "old\n" and (out / "features.csv").read_text() == "old\n"
    (out / "study.json").unlink()
    r = cli("study", pages, "-o", out)
    assert r.returncode == 0, r.stderr
    assert json.loads((out / "study.json").read_text())["sendkg_study"] == 1
    assert (os.stat(out / "features.csv").st_mode & 0o777) == 0o600 and "authority" in (out / "features.csv").read_text()
    assert not stale.exists()

"""An example for every command, shown at the end of its ``--help`` (issue 23: what a newcomer
expects). Each is a command line a user can type as it is, the first word after ``sendkg`` (and its
global options) being the command's own name; tests/test_cli_examples.py holds them to it."""

EXAMPLES = {
    "authorities": ["sendkg authorities --format csv"],
    "check": ["sendkg check milton-keynes", "sendkg check --fail-on warning --format json"],
    "compare": ["sendkg compare milton-keynes islington --format html -o compare.html"],
    "conditions": ["sendkg conditions"],
    "deadlines": ["sendkg deadlines refuse-assessment --decision-date 2026-03-02",
                  "sendkg deadlines plan-contents --decision-date 2026-03-02 --certificate-date 2026-04-20 --format ics -o deadlines.ics"],
    "decisions": ["sendkg decisions --format json"],
    "explore": ["sendkg explore -o explorer"],
    "extract": ["sendkg extract page.html --authority milton-keynes"],
    "fetch": ["sendkg fetch https://www.example.gov.uk/send/disagreements --cache .sendkg-cache"],
    "lint": ["sendkg lint pages/", "sendkg lint 'site/**/*.html' --format sarif -o lint.sarif"],
    "load": ["sendkg --endpoint http://127.0.0.1:7878/query load my-council.ttl"],
    "query": ["sendkg query my-query.rq --format csv"],
    "routes": ["sendkg routes refuse-assessment", "sendkg routes plan-contents --format mermaid"],
    "rule": ["sendkg rule wrong-time-limit", "sendkg rule --all"],
    "serve": ["sendkg serve --bind 127.0.0.1:7878"],
    "show": ["sendkg show tribunal-appeal"],
    "sources": ["sendkg sources --status unverified"],
    "study": ["sendkg study pages/ -o my-study", "sendkg study pages.csv -o my-study"],
    "validate": ["sendkg validate my-council.ttl --no-reason"],
    "vocabulary": ["sendkg vocabulary events"],
}


def epilog(name: str) -> str | None:
    """The help's closing lines for command ``name`` (kept as written: click does not rewrap them)."""
    lines = EXAMPLES.get(name)
    if not lines:
        return None
    return "\b\n" + ("Example:" if len(lines) == 1 else "Examples:") + "\n" + "\n".join("  " + x for x in lines)

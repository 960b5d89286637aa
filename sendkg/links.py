"""Where sendkg lives on the web, in one place: the repository (the crawler's user agent names it)
and the documentation site (`sendkg rule CODE` and SARIF's ``helpUri`` link each finding code's
page; mkdocs.yml's ``site_url`` is set from it by ``docs/hooks.py``).

Both are placeholders until the project is published: the repository is not public yet and the site
is built locally with ``mkdocs build --strict`` (see the README)."""

PROJECT_URL = "https://github.com/sendkg/sendkg"  # placeholder; pyproject.toml [project.urls] Repository
DOCS_URL = "https://sendkg.github.io/sendkg/"  # placeholder; pyproject.toml [project.urls] Documentation


def rule_url(code: str) -> str:
    """The documentation page of a finding code, e.g. ``.../rules/wrong-anchor/``."""
    return f"{DOCS_URL}rules/{code}/"


def command_url(name: str) -> str:
    """The documentation page of a command, e.g. ``.../commands/routes/``."""
    return f"{DOCS_URL}commands/{name}/"

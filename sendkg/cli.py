"""The ``sendkg`` command. Each command is thin: it calls the Python API and a renderer.

Bad input (unknown identifiers, malformed files, query syntax errors) prints one line naming the
problem and what to do, and exits 2; a check that finds problems exits 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sendkg import __version__
from sendkg.errors import SendkgError

class Context:
    def __init__(self, data_files, endpoint=None, timeout=10.0):
        self.data_files = [Path(f) for f in data_files]
        self.endpoint = endpoint
        self.timeout = timeout
        self._model = None
        self._remote = None

    @property
    def remote(self):
        """The SPARQL endpoint given with --endpoint (or SENDKG_ENDPOINT), else None."""
        if self.endpoint and self._remote is None:
            from sendkg.remote import RemoteStore

            if self.data_files:
                raise SendkgError("--data and --endpoint together: publish the files with 'sendkg load' instead")
            self._remote = RemoteStore(self.endpoint, self.timeout)
        return self._remote

    @property
    def model(self):
        if self._model is None:
            from sendkg.model import Model

            self._model = Model(self.data_files, store=self.remote)
        return self._model


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", "data_files", multiple=True, type=click.Path(dir_okay=False),
              envvar="SENDKG_DATA", help="A Turtle file that extends or changes the model (repeatable).")
@click.option("--endpoint", envvar="SENDKG_ENDPOINT", metavar="URL",
              help="Ask a SPARQL 1.1 endpoint instead of the embedded store (see 'sendkg load' and 'sendkg serve').")
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Seconds to wait for the endpoint.")
@click.version_option(__version__, prog_name="sendkg")
@click.pass_context
def cli(ctx, data_files, endpoint, timeout):
    """sendkg: the routes for SEND disagreements in England, as a knowledge graph."""
    ctx.obj = Context(data_files, endpoint, timeout)


from sendkg.commands import content, law, rdf, rules, study  # noqa: E402  (each registers its commands)

for _module in (law, content, rdf, rules, study):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main(argv=None):
    try:
        cli.main(args=argv, prog_name="sendkg", standalone_mode=False)
    except SendkgError as err:
        click.echo(f"sendkg: error: {err}", err=True)
        sys.exit(err.exit_code)
    except click.exceptions.Abort:
        click.echo("sendkg: aborted", err=True)
        sys.exit(130)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except BrokenPipeError:  # e.g. piped into head
        sys.exit(0)

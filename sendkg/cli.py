"""The ``sendkg`` command. Each command is thin: it calls the Python API and a renderer.

Bad input (unknown identifiers, malformed files, query syntax errors) prints one line naming the
problem and what to do, and exits 2; a check that finds problems exits 1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from sendkg import __version__
from sendkg.errors import SendkgError
from sendkg.links import DOCS_URL

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

            model = Model(self.data_files, store=self.remote)
            if self.data_files and self.remote is None:  # refuse data that would silently change answers
                from sendkg.validate import check_extension

                check_extension(model.store, self.data_files)
            self._model = model
        return self._model


def _check_timeout(ctx, param, value):
    import math

    if value is None or not math.isfinite(value) or value <= 0 or value > 86400:
        raise SendkgError(f"--timeout {value}: give a number of seconds above 0 and at most 86400, e.g. --timeout 30")
    return value


def _check_endpoint(ctx, param, value):
    if value in (None, ""):
        return None
    from sendkg.remote import check_url

    check_url(value, "--endpoint" if ctx.get_parameter_source("endpoint").name != "ENVIRONMENT" else "SENDKG_ENDPOINT")
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", "data_files", multiple=True,
              envvar="SENDKG_DATA", help="A Turtle file that extends or changes the model (repeatable).")
@click.option("--endpoint", envvar="SENDKG_ENDPOINT", metavar="URL", callback=_check_endpoint,
              help="Ask a SPARQL 1.1 endpoint instead of the embedded store (see 'sendkg load' and 'sendkg serve').")
@click.option("--timeout", type=float, default=10.0, show_default=True, callback=_check_timeout,
              help="Seconds a request to the endpoint, or a query, may take in all (finite, above 0).")
@click.version_option(__version__, prog_name="sendkg")
@click.pass_context
def cli(ctx, data_files, endpoint, timeout):
    """sendkg: the routes for SEND disagreements in England, as a knowledge graph."""
    ctx.obj = Context(data_files, endpoint, timeout)


from sendkg.commands import LazyCommands  # noqa: E402

# Each command's module is imported only when that command runs (or help lists them all): `sendkg
# routes` imports neither the page reader nor the SHACL checks (issue 21 item 5).
cli.commands = LazyCommands(cli.commands)


def _one_line(text, limit: int = 600) -> str:
    from sendkg.inputs import one_line

    return one_line(text, limit)


def main(argv=None):
    try:
        cli.main(args=argv, prog_name="sendkg", standalone_mode=False)
    except SendkgError as err:
        click.echo(f"sendkg: error: {_one_line(err)}", err=True)
        sys.exit(err.exit_code)
    except click.exceptions.Abort:
        click.echo("sendkg: aborted", err=True)
        sys.exit(130)
    except click.UsageError as err:  # one line too, with where to find help
        command = err.ctx.command_path if err.ctx is not None else "sendkg"
        click.echo(f"sendkg: error: {_one_line(err.format_message())} (see '{command} --help')", err=True)
        sys.exit(err.exit_code)
    except click.ClickException as err:
        click.echo(f"sendkg: error: {_one_line(err.format_message())}", err=True)
        sys.exit(err.exit_code)
    except BrokenPipeError:  # e.g. piped into head
        sys.exit(0)
    except KeyboardInterrupt:
        click.echo("sendkg: interrupted", err=True)
        sys.exit(130)
    except RecursionError:
        click.echo("sendkg: error: the input nests or chains too deeply for sendkg to follow; "
                   f"shorten the chain (see 'Bad input': {DOCS_URL}guide/bad-input/)", err=True)
        sys.exit(2)
    except MemoryError:
        click.echo(f"sendkg: error: out of memory; give smaller inputs (see 'Bad input': {DOCS_URL}guide/bad-input/)", err=True)
        sys.exit(2)
    except ValueError as err:
        if "null byte" not in str(err):
            _internal(err)
        click.echo("sendkg: error: a file name holds a NUL byte; check the path", err=True)
        sys.exit(2)
    except Exception as err:  # noqa: BLE001 - a bug: one line, never a traceback
        _internal(err)


def _internal(err: Exception) -> None:
    if os.environ.get("SENDKG_DEBUG"):
        raise err
    where = ""
    tb = err.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is not None:
        where = f" at {Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}"
    click.echo(f"sendkg: internal error: {_one_line(f'{type(err).__name__}: {err}', 300)}{where}; "
               "please report it (SENDKG_DEBUG=1 shows the traceback)", err=True)
    sys.exit(70)

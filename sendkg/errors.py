"""Named errors. Each carries one line for the user; the command line prints it and exits 2."""


class SendkgError(Exception):
    """Bad input or a problem the user can fix. ``str(err)`` is one line saying what to do."""

    exit_code = 2


class UnknownIdentifier(SendkgError):
    """An identifier (decision, route, condition, event) that the model does not have."""


class TurtleSyntaxError(SendkgError):
    """A data file that is not valid Turtle; the message names the file, line and column."""


class QuerySyntaxError(SendkgError):
    """A SPARQL query that does not parse; the message names the file and position."""


class ModelError(SendkgError):
    """The model itself is broken (for example an ordering cycle)."""

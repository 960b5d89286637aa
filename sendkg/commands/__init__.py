"""The sendkg commands, one module per family; each module lists its commands in COMMANDS."""

# The commands that read the model with the user's --data files (or refuse them in their own words).
# Any other command refuses --data in one line: a file the user gives is never silently ignored.
TAKES_DATA = {"decisions", "conditions", "routes", "deadlines", "show", "check", "compare", "lint", "extract",
              "query", "validate", "load", "serve", "vocabulary"}


def guard_data(command):
    """Wrap a command that does not use --data so that it refuses it (see TAKES_DATA)."""
    import functools

    if command.name in TAKES_DATA or command.callback is None:
        return command
    callback = command.callback

    @functools.wraps(callback)
    def refuse(*args, **kwargs):
        import click

        from sendkg.errors import SendkgError

        obj = click.get_current_context().find_root().obj
        files = getattr(obj, "data_files", None)
        if files:
            raise SendkgError(f"sendkg {command.name} does not use --data ({', '.join(map(str, files))}); "
                              "run it without --data (and unset SENDKG_DATA)")
        return callback(*args, **kwargs)

    command.callback = refuse
    return command

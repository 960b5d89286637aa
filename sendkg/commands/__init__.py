"""The sendkg commands, one module per family; each module lists its commands in COMMANDS."""

from collections.abc import MutableMapping

# Which module holds each command, so that a command's module is imported only when it is used.
# tests/test_cli_startup.py checks this against the modules' COMMANDS lists.
MODULES = {
    "law": ("decisions", "conditions", "routes", "deadlines", "show", "sources"),
    "content": ("check", "compare", "lint", "extract"),
    "rdf": ("query", "validate", "load", "serve", "explore"),
    "rules": ("rule",),
    "study": ("fetch", "study", "authorities"),
    "vocabulary": ("vocabulary",),
}
_MODULE_OF = {name: module for module, names in MODULES.items() for name in names}

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


class LazyCommands(MutableMapping):
    """The click group's ``commands``: a command's module is imported (and its commands guarded by
    :func:`guard_data`) the first time the command is looked up; listing them imports them all."""

    def __init__(self, given=None):
        self._loaded: dict = dict(given or {})
        self._modules: set[str] = set()

    def _load(self, module: str) -> None:
        if module in self._modules:
            return
        import importlib

        self._modules.add(module)
        from sendkg.commands.examples import epilog

        for command in importlib.import_module(f"sendkg.commands.{module}").COMMANDS:
            command.epilog = command.epilog or epilog(command.name)  # every --help ends with an example
            self._loaded.setdefault(command.name, guard_data(command))

    def _load_all(self) -> None:
        for module in MODULES:
            self._load(module)

    def __getitem__(self, name):
        if name not in self._loaded and name in _MODULE_OF:
            self._load(_MODULE_OF[name])
        return self._loaded[name]

    def __contains__(self, name):
        return name in self._loaded or name in _MODULE_OF

    def __setitem__(self, name, command):
        self._loaded[name] = command

    def __delitem__(self, name):
        self._load_all()
        del self._loaded[name]

    def __iter__(self):
        self._load_all()
        return iter(dict(self._loaded))

    def __len__(self):
        self._load_all()
        return len(self._loaded)

"""Plain records for the answers' working data, compared and shown by their fields.

Not dataclasses: making a class with ``dataclass`` imports it and generates and compiles the class's
methods, about 5 million instructions for the import and 3 for each class, paid by every ``sendkg
routes`` and ``deadlines`` (issue 21 item 5). A record names its fields in ``__slots__``.
"""

from __future__ import annotations


class Plain:
    __slots__ = ()

    def _fields(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and other._fields() == self._fields()

    __hash__ = None  # mutable, as a dataclass is

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self.__slots__)})"


class Frozen(Plain):
    """A record whose fields cannot be set again (hashable)."""

    __slots__ = ()

    def __init__(self, *values):
        for name, value in zip(self.__slots__, values, strict=True):
            object.__setattr__(self, name, value)

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is frozen: cannot set {name}")

    def __hash__(self) -> int:
        return hash(self._fields())

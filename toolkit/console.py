"""The command line's consoles, made when first used: Rich is imported only by a command that prints through it.

``import rich.console`` costs 20–30 ms, paid by every ``stdkit`` run that never prints a
line through Rich (a quiet build, a check whose findings are plain lines).  The CLI
modules create their consoles with :func:`lazy_console` and escape markup with
:func:`escape`; both import Rich on first use.
"""
from __future__ import annotations

from typing import Any


class LazyConsole:
    """Stands for ``rich.console.Console(**options)``, created on first use.

    Attribute access (``err.print(…)``) goes to the console; code that hands a console to
    Rich itself (``Progress(console=…)``) or to another module passes :meth:`real`.
    """

    def __init__(self, **options: Any):
        self._options = options
        self._console = None

    def real(self):
        """The ``rich.console.Console`` itself (made now if not yet)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # not delegated: the proxy's own fields (copy, pickle)
            raise AttributeError(name)
        return getattr(self.real(), name)

    def __enter__(self):
        return self.real().__enter__()

    def __exit__(self, *exc):
        return self.real().__exit__(*exc)


def lazy_console(**options: Any) -> LazyConsole:
    """A console with ``options`` (those of ``rich.console.Console``), made when first used."""
    return LazyConsole(**options)


def escape(text: str) -> str:
    """``text`` with Rich markup escaped (``rich.markup.escape``), safe inside ``console.print``."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)

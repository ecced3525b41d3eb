"""User mistakes become one line on stderr and exit code 2, not a traceback.

A failure of the database itself (damaged file, full disk: ``StoreFailure``)
is no mistake of the user's: one line saying what to do, and exit code 1.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, NoReturn, Optional

import typer
from rich.console import Console

from ..api.ledger import Ledger
from ..store import StoreError, StoreFailure

err = Console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr; the message (paths, values a user typed) is printed as inert text."""
    from .render import message as line

    err.print(line("error:", "red", message), highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def open_ledger(db: Optional[str]) -> Iterator[Ledger]:
    try:
        ledger = Ledger(db)
    except StoreError as exc:
        fail(str(exc), code=1 if isinstance(exc, StoreFailure) else 2)
    try:
        yield ledger
    except KeyError as exc:
        fail(exc.args[0] if exc.args else str(exc))
    except StoreError as exc:
        fail(str(exc), code=1 if isinstance(exc, StoreFailure) else 2)
    finally:
        ledger.close()

"""The ``counterclaim`` command: a thin shell over the Python API (``counterclaim.api``).

Commands live in small modules by what they do (``ingest``, ``read``,
``evaluate``); ``render`` owns how records look in a terminal.  A user's
mistake (a bad path, an unknown id, an unreachable database) is a one-line
message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import sys

from .app import app


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)

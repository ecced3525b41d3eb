"""Moved to ``counterclaim.records`` (issue 15): the records of cross-article linking.

The store rebuilds these records from its rows and may not import ``link``,
so they now sit with the other records both stages import.  This module
re-exports them for code still importing ``counterclaim.link.model``.
"""

from __future__ import annotations

from ..records import (  # noqa: F401
    CLUSTER_STATUSES,
    ArticleCopy,
    ClaimCluster,
    EventCluster,
    Member,
)

"""Moved to ``counterclaim.data.lexicon`` (issue 15): the word lists are data below every stage.

``link`` reads the same lexicons as ``nlp`` (tolls, counts) and may not import
``nlp``; the loader now sits in ``data`` where both may.  This module only
re-exports it so that code still importing ``counterclaim.nlp.lexicon`` keeps
working until it is switched over; it will be removed then.  The objects are
the same (one ``lru_cache`` each), so ``cache_clear`` through either name
clears both.
"""

from __future__ import annotations

from ..data.lexicon import (  # noqa: F401
    ActorEntry,
    Cue,
    actor,
    actors,
    affiliations,
    cues,
    fold,
    markers,
    person_roles,
    roles,
    rows,
    triggers,
    user_lexicon_dir,
    victims,
)

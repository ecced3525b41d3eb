"""How stored names are compared: the key a user's spelling and a record's spelling share.

A coder types "Kandahar" for a record that says "Kandahār", "deir ez zor" for
"Deir ez-Zor", "Sar-e Pul" or "sar e pul": accents, case, apostrophes, dots
and hyphens must not decide whether a filter finds a record.  The key is
computed in Python on write (``*_key`` columns) and on query, so matching is an
indexed equality that behaves the same on SQLite and PostgreSQL.  Aliases and
other names of a place are the gazetteer's business (``api.places``); this is
only the spelling.
"""

from __future__ import annotations

import unicodedata
from typing import Optional

# Marks that vanish, and separators that become a space, before accents are folded.
_TRANS = str.maketrans({
    **{ch: "" for ch in "’‘'`´ʼʻʾʿ."},
    **{ch: " " for ch in "-‐‑–—,()/_"},
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss",
})


def name_key(value: Optional[str]) -> Optional[str]:
    """The comparison key of a place name: no accents, no case, no punctuation, single spaces.

    >>> name_key("Kandahār"), name_key("Deir ez-Zor"), name_key("  Sar-e  Pul ")
    ('kandahar', 'deir ez zor', 'sar e pul')
    """
    if not value:
        return None
    text = unicodedata.normalize("NFKD", value.casefold().translate(_TRANS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.split()) or None

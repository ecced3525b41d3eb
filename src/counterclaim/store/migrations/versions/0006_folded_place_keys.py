"""Place keys without accents or punctuation: "Kandahār" and "Kandahar" share a key.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

The place filter compares ``*_key`` columns with the key of what the user
typed.  Keys were lower-cased names; they are now also free of accents,
apostrophes, dots and hyphens (``store.names.name_key``).  The fold is written
out here, not imported: a migration keeps meaning what it meant.
"""

import unicodedata
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: Union[str, Sequence[str], None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_TRANS = str.maketrans({
    **{ch: "" for ch in "’‘'`´ʼʻʾʿ."},
    **{ch: " " for ch in "-‐‑–—,()/_"},
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss",
})


def _folded(value):
    if not value:
        return None
    text = unicodedata.normalize("NFKD", value.casefold().translate(_TRANS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.split()) or None


def _old(value):
    return " ".join(value.split()).lower() if value else None


def _rekey(table: str, name: str, key: str, fold) -> None:
    conn = op.get_bind()
    names = conn.execute(sa.text(f"SELECT DISTINCT {name} FROM {table} WHERE {name} IS NOT NULL")).scalars().all()
    update = sa.text(f"UPDATE {table} SET {key} = :key WHERE {name} = :name")
    rows = [{"key": fold(n), "name": n} for n in names]
    if rows:
        conn.execute(update, rows)


def _all(fold) -> None:
    for table, prefix in (("events", "place_"), ("places", "")):
        _rekey(table, f"{prefix}name", f"{prefix}name_key", fold)
        _rekey(table, f"{prefix}admin1", f"{prefix}admin1_key", fold)


def upgrade() -> None:
    _all(_folded)


def downgrade() -> None:
    _all(_old)

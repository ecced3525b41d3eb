"""events.mentions: the other sentences of an article that tell the same event.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

Extraction merges an article's repeated accounts of one event (the headline,
the lead, a later paragraph with another source's toll) into one event; the
merged sentences are kept here so every figure stays traceable to its words.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: Union[str, Sequence[str], None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("mentions", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("mentions")

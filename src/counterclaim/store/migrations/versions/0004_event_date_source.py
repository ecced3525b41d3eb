"""events.date_source: whether an event's day is stated in its sentence or a fallback.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

Cross-article linking keeps two reports apart when both state their days and
those days and their tolls differ; a day taken from the publication date says
nothing about which day the event happened, so the linker must know which is
which.  Rows written before this revision have NULL (unknown), which the
linker treats as not stated.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: Union[str, Sequence[str], None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("date_source", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("date_source")

"""articles.published_source: which date line an article's published day came from.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

A feed's or a table's date and the article's own date line ("KABUL, 3 March
2026 -", "This story is from ...") disagree now and then; the article's own
line wins, and the record says which one it used ("dateline", "metadata",
"option"), so an analyst can tell a stated day from a batch default. Rows
written before this revision have NULL (not recorded).
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, Sequence[str], None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("published_source", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("published_source")

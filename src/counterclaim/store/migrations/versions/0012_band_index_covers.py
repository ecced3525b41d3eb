"""article_bands: the key index also holds the article id (a covering index for the copy look-up).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

``Store.copy_candidates`` counts, for each article sharing one of a new
text's band keys, how many it shares.  With an index on the key alone each
hit cost a look-up of its row for the article id; in a same-day flood of
wire reports written to one template a new report hits some 10,000 rows
(1,500 reports linked), and those look-ups were three quarters of the
query.  The index on (key, article_id) answers it alone.
"""

from typing import Sequence, Union

from alembic import op

revision: str = "0012"
down_revision: Union[str, Sequence[str], None] = "0011"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index('ix_article_bands_key_article_id', 'article_bands', ['key', 'article_id'])
    op.drop_index('ix_article_bands_key', table_name='article_bands')


def downgrade() -> None:
    op.create_index('ix_article_bands_key', 'article_bands', ['key'])
    op.drop_index('ix_article_bands_key_article_id', table_name='article_bands')

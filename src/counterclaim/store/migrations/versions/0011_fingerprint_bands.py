"""article_bands: the copy-detection index.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

Copy detection compared each new article's SimHash with every stored one,
a cost that grows with the ledger.  ``article_bands`` holds each linked
article's MinHash band keys (``link.dedup.band_keys``), so the texts a new
one may copy are found by an indexed look-up.  Articles linked before this
revision have no keys yet: the linker indexes them on first use.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: Union[str, Sequence[str], None] = "0010"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('article_bands',
    sa.Column('article_id', sa.String(), nullable=False),
    sa.Column('key', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_bands_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'key', name=op.f('pk_article_bands'))
    )
    op.create_index('ix_article_bands_key', 'article_bands', ['key'])


def downgrade() -> None:
    op.drop_index('ix_article_bands_key', table_name='article_bands')
    op.drop_table('article_bands')

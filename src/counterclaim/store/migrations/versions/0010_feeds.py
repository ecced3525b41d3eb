"""feeds and feed_entries: what ``counterclaim watch`` has seen of each source.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

A watched feed is polled again and again, and the watcher may be stopped or
killed at any moment: the ETag and Last-Modified of its last complete poll,
its consecutive failures (for backing off) and every entry taken in live in
the database, so a restart neither stores an entry twice nor skips one.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: Union[str, Sequence[str], None] = "0009"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('feeds',
    sa.Column('source', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('etag', sa.String(), nullable=True),
    sa.Column('last_modified', sa.String(), nullable=True),
    sa.Column('polled_at', sa.DateTime(), nullable=True),
    sa.Column('ok_at', sa.DateTime(), nullable=True),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('next_poll_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('source', name=op.f('pk_feeds'))
    )
    op.create_table('feed_entries',
    sa.Column('source', sa.String(), nullable=False),
    sa.Column('entry', sa.String(), nullable=False),
    sa.Column('article_id', sa.String(), nullable=True),
    sa.Column('problem', sa.Text(), nullable=True),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['source'], ['feeds.source'], name=op.f('fk_feed_entries_source_feeds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source', 'entry', name=op.f('pk_feed_entries'))
    )


def downgrade() -> None:
    op.drop_table('feed_entries')
    op.drop_table('feeds')

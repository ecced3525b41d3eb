"""Cross-article links: linked_articles (copies), event_clusters, claim_clusters and their members.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

Written out in full, as 0001: a migration keeps meaning what it meant.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _fatalities(prefix: str) -> list[sa.Column]:
    return [
        sa.Column(f"{prefix}low", sa.Integer(), nullable=True),
        sa.Column(f"{prefix}best", sa.Integer(), nullable=True),
        sa.Column(f"{prefix}high", sa.Integer(), nullable=True),
        sa.Column(f"{prefix}reason", sa.Text(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table('linked_articles',
    sa.Column('article_id', sa.String(), nullable=False),
    sa.Column('linker', sa.String(), nullable=False),
    sa.Column('linked_at', sa.DateTime(), nullable=False),
    sa.Column('copy_of', sa.String(), nullable=True),
    sa.Column('copy_kind', sa.String(), nullable=True),
    sa.Column('copy_jaccard', sa.Float(), nullable=True),
    sa.Column('copy_distance', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_linked_articles_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_linked_articles'))
    )
    op.create_index('ix_linked_articles_copy_of', 'linked_articles', ['copy_of'])

    op.create_table('event_clusters',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('type', sa.String(), nullable=False),
    sa.Column('sub_type', sa.String(), nullable=False),
    sa.Column('date_start', sa.Date(), nullable=True),
    sa.Column('date_end', sa.Date(), nullable=True),
    sa.Column('place', sa.String(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('country', sa.String(), nullable=True),
    sa.Column('admin1', sa.String(), nullable=True),
    *_fatalities('fatalities_'),
    sa.Column('fatalities_acled', sa.Integer(), nullable=True),
    sa.Column('figures', sa.Text(), nullable=True),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('n_reports', sa.Integer(), nullable=False),
    sa.Column('n_articles', sa.Integer(), nullable=False),
    sa.Column('n_outlets', sa.Integer(), nullable=False),
    sa.Column('outlets', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_clusters'))
    )
    op.create_index('ix_event_clusters_status', 'event_clusters', ['status'])
    op.create_index('ix_event_clusters_n_outlets', 'event_clusters', ['n_outlets'])
    op.create_index('ix_event_clusters_date_end', 'event_clusters', ['date_end'])

    op.create_table('event_cluster_members',
    sa.Column('event_id', sa.String(), nullable=False),
    sa.Column('cluster_id', sa.String(), nullable=False),
    sa.Column('article_id', sa.String(), nullable=False),
    sa.Column('pos', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('vector', sa.LargeBinary(), nullable=True),
    sa.Column('vector_model', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_event_cluster_members_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_cluster_members_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_event_cluster_members'))
    )
    op.create_index('ix_event_cluster_members_cluster_id', 'event_cluster_members', ['cluster_id'])
    op.create_index('ix_event_cluster_members_article_id', 'event_cluster_members', ['article_id'])

    op.create_table('claim_clusters',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('voice', sa.String(), nullable=True),
    sa.Column('speaker', sa.String(), nullable=True),
    sa.Column('party', sa.String(), nullable=True),
    sa.Column('act', sa.String(), nullable=False),
    sa.Column('event_cluster_id', sa.String(), nullable=True),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('n_appearances', sa.Integer(), nullable=False),
    sa.Column('n_outlets', sa.Integer(), nullable=False),
    sa.Column('outlets', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_clusters'))
    )
    op.create_index('ix_claim_clusters_status', 'claim_clusters', ['status'])
    op.create_index('ix_claim_clusters_event_cluster_id', 'claim_clusters', ['event_cluster_id'])
    op.create_index('ix_claim_clusters_voice', 'claim_clusters', ['voice'])

    op.create_table('claim_cluster_members',
    sa.Column('claim_id', sa.String(), nullable=False),
    sa.Column('cluster_id', sa.String(), nullable=False),
    sa.Column('article_id', sa.String(), nullable=False),
    sa.Column('pos', sa.Integer(), nullable=False),
    sa.Column('similarity', sa.Float(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('vector', sa.LargeBinary(), nullable=True),
    sa.Column('vector_model', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_claim_cluster_members_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_cluster_members_claim_id_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_id', name=op.f('pk_claim_cluster_members'))
    )
    op.create_index('ix_claim_cluster_members_cluster_id', 'claim_cluster_members', ['cluster_id'])
    op.create_index('ix_claim_cluster_members_article_id', 'claim_cluster_members', ['article_id'])


def downgrade() -> None:
    op.drop_table('claim_cluster_members')
    op.drop_table('claim_clusters')
    op.drop_table('event_cluster_members')
    op.drop_table('event_clusters')
    op.drop_table('linked_articles')

"""Initial schema: articles, extractions, claims, quantities, events, event_claims, places, times, links.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

Written out in full rather than importing ``counterclaim.store.schema``: a
migration is history and must keep meaning what it meant when the schema moves on.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _newest_first(table: str, day: str, *tiebreak: str, by: str | None = None) -> None:
    # [by,] day DESC NULLS LAST, tiebreak: SQLite sorts NULL lowest and rejects
    # NULLS LAST in an index; PostgreSQL needs it (see schema._newest_first).
    nulls = " NULLS LAST" if op.get_bind().dialect.name == "postgresql" else ""
    name = f"ix_{table}_{by}_newest" if by else f"ix_{table}_newest"
    op.create_index(name, table, [*([by] if by else []), sa.text(f"{day} DESC{nulls}"), *tiebreak])


def upgrade() -> None:
    op.create_table('articles',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('url', sa.String(), nullable=True),
    sa.Column('source', sa.String(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('language', sa.String(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('ingested_at', sa.DateTime(), nullable=True),
    sa.Column('origin', sa.String(), nullable=True),
    sa.Column('simhash', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_articles'))
    )
    _newest_first('articles', 'published', 'id')
    _newest_first('articles', 'published', 'id', by='source')
    op.create_index('ix_articles_url', 'articles', ['url'])

    op.create_table('claims',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('article_id', sa.String(), nullable=False),
    sa.Column('pos', sa.Integer(), nullable=False),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('span_text', sa.Text(), nullable=False),
    sa.Column('cue_start', sa.Integer(), nullable=True),
    sa.Column('cue_end', sa.Integer(), nullable=True),
    sa.Column('cue_text', sa.Text(), nullable=True),
    sa.Column('speaker_name', sa.String(), nullable=True),
    sa.Column('speaker_span_start', sa.Integer(), nullable=True),
    sa.Column('speaker_span_end', sa.Integer(), nullable=True),
    sa.Column('speaker_span_text', sa.Text(), nullable=True),
    sa.Column('speaker_role', sa.String(), nullable=True),
    sa.Column('speaker_kind', sa.String(), nullable=True),
    sa.Column('speaker_party', sa.String(), nullable=True),
    sa.Column('speaker_country', sa.String(), nullable=True),
    sa.Column('speaker_reason', sa.Text(), nullable=True),
    sa.Column('act', sa.String(), nullable=False),
    sa.Column('act_reason', sa.Text(), nullable=True),
    sa.Column('direct_quote', sa.Boolean(), nullable=False),
    sa.Column('channel', sa.String(), nullable=True),
    sa.Column('negated', sa.Boolean(), nullable=False),
    sa.Column('sentence_start', sa.Integer(), nullable=True),
    sa.Column('sentence_end', sa.Integer(), nullable=True),
    sa.Column('sentence_text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_claims_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claims'))
    )
    op.create_index('ix_claims_article_id_pos', 'claims', ['article_id', 'pos'], unique=True)
    for by in (None, 'speaker_party', 'act'):
        _newest_first('claims', 'published', 'article_id', 'pos', by=by)

    op.create_table('events',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('article_id', sa.String(), nullable=False),
    sa.Column('pos', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(), nullable=False),
    sa.Column('sub_type', sa.String(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('span_text', sa.Text(), nullable=False),
    sa.Column('trigger_start', sa.Integer(), nullable=True),
    sa.Column('trigger_end', sa.Integer(), nullable=True),
    sa.Column('trigger_text', sa.Text(), nullable=True),
    sa.Column('actor1_name', sa.String(), nullable=True),
    sa.Column('actor1_span_start', sa.Integer(), nullable=True),
    sa.Column('actor1_span_end', sa.Integer(), nullable=True),
    sa.Column('actor1_span_text', sa.Text(), nullable=True),
    sa.Column('actor1_role', sa.String(), nullable=True),
    sa.Column('actor1_kind', sa.String(), nullable=True),
    sa.Column('actor1_party', sa.String(), nullable=True),
    sa.Column('actor1_country', sa.String(), nullable=True),
    sa.Column('actor1_reason', sa.Text(), nullable=True),
    sa.Column('actor2_name', sa.String(), nullable=True),
    sa.Column('actor2_span_start', sa.Integer(), nullable=True),
    sa.Column('actor2_span_end', sa.Integer(), nullable=True),
    sa.Column('actor2_span_text', sa.Text(), nullable=True),
    sa.Column('actor2_role', sa.String(), nullable=True),
    sa.Column('actor2_kind', sa.String(), nullable=True),
    sa.Column('actor2_party', sa.String(), nullable=True),
    sa.Column('actor2_country', sa.String(), nullable=True),
    sa.Column('actor2_reason', sa.Text(), nullable=True),
    sa.Column('place_name', sa.String(), nullable=True),
    sa.Column('place_name_key', sa.String(), nullable=True),
    sa.Column('place_span_start', sa.Integer(), nullable=True),
    sa.Column('place_span_end', sa.Integer(), nullable=True),
    sa.Column('place_span_text', sa.Text(), nullable=True),
    sa.Column('place_kind', sa.String(), nullable=True),
    sa.Column('place_lat', sa.Float(), nullable=True),
    sa.Column('place_lon', sa.Float(), nullable=True),
    sa.Column('place_country', sa.String(), nullable=True),
    sa.Column('place_admin1', sa.String(), nullable=True),
    sa.Column('place_admin1_key', sa.String(), nullable=True),
    sa.Column('place_gazetteer_id', sa.String(), nullable=True),
    sa.Column('place_precision', sa.String(), nullable=True),
    sa.Column('place_reason', sa.Text(), nullable=True),
    sa.Column('date', sa.String(), nullable=True),
    sa.Column('date_precision', sa.String(), nullable=False),
    sa.Column('date_start', sa.Date(), nullable=True),
    sa.Column('date_end', sa.Date(), nullable=True),
    sa.Column('fatalities_low', sa.Integer(), nullable=True),
    sa.Column('fatalities_best', sa.Integer(), nullable=True),
    sa.Column('fatalities_high', sa.Integer(), nullable=True),
    sa.Column('fatalities_reason', sa.Text(), nullable=True),
    sa.Column('injured_low', sa.Integer(), nullable=True),
    sa.Column('injured_best', sa.Integer(), nullable=True),
    sa.Column('injured_high', sa.Integer(), nullable=True),
    sa.Column('injured_reason', sa.Text(), nullable=True),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_events_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    op.create_index('ix_events_actor1_party', 'events', ['actor1_party'])
    op.create_index('ix_events_actor2_party', 'events', ['actor2_party'])
    op.create_index('ix_events_article_id_pos', 'events', ['article_id', 'pos'], unique=True)
    op.create_index('ix_events_date_end', 'events', ['date_end'])
    op.create_index('ix_events_place_admin1_key', 'events', ['place_admin1_key'])
    op.create_index('ix_events_place_country', 'events', ['place_country'])
    op.create_index('ix_events_place_name_key', 'events', ['place_name_key'])
    op.create_index('ix_events_place_gazetteer_id', 'events', ['place_gazetteer_id'])
    for by in (None, 'type', 'sub_type', 'status'):
        _newest_first('events', 'date_start', 'article_id', 'pos', by=by)

    op.create_table('extractions',
    sa.Column('article_id', sa.String(), nullable=False),
    sa.Column('extractor', sa.String(), nullable=False),
    sa.Column('saved_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_extractions_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_extractions'))
    )
    op.create_index('ix_extractions_extractor', 'extractions', ['extractor'])

    op.create_table('links',
    sa.Column('article_id', sa.String(), nullable=False),
    sa.Column('pos', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(), nullable=False),
    sa.Column('type', sa.String(), nullable=False),
    sa.Column('target', sa.String(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_links_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'pos', name=op.f('pk_links'))
    )
    op.create_index('ix_links_source', 'links', ['source'])
    op.create_index('ix_links_target', 'links', ['target'])

    op.create_table('places',
    sa.Column('article_id', sa.String(), nullable=False),
    sa.Column('pos', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('name_key', sa.String(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('span_text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('country', sa.String(), nullable=True),
    sa.Column('admin1', sa.String(), nullable=True),
    sa.Column('admin1_key', sa.String(), nullable=True),
    sa.Column('gazetteer_id', sa.String(), nullable=True),
    sa.Column('precision', sa.String(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_places_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'pos', name=op.f('pk_places'))
    )
    op.create_index('ix_places_admin1_key', 'places', ['admin1_key'])
    op.create_index('ix_places_country', 'places', ['country'])
    op.create_index('ix_places_gazetteer_id', 'places', ['gazetteer_id'])
    op.create_index('ix_places_name_key', 'places', ['name_key'])

    op.create_table('times',
    sa.Column('article_id', sa.String(), nullable=False),
    sa.Column('pos', sa.Integer(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('span_text', sa.Text(), nullable=False),
    sa.Column('value', sa.String(), nullable=True),
    sa.Column('precision', sa.String(), nullable=False),
    sa.Column('anchor', sa.String(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_times_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'pos', name=op.f('pk_times'))
    )
    op.create_table('event_claims',
    sa.Column('event_id', sa.String(), nullable=False),
    sa.Column('claim_id', sa.String(), nullable=False),
    sa.Column('article_id', sa.String(), nullable=False),
    sa.Column('pos_in_claim', sa.Integer(), nullable=True),
    sa.Column('pos_in_event', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_event_claims_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_event_claims_claim_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_claims_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'claim_id', name=op.f('pk_event_claims'))
    )
    op.create_index('ix_event_claims_article_id', 'event_claims', ['article_id'])
    op.create_index('ix_event_claims_claim_id', 'event_claims', ['claim_id'])

    op.create_table('quantities',
    sa.Column('claim_id', sa.String(), nullable=False),
    sa.Column('pos', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.String(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('span_text', sa.Text(), nullable=False),
    sa.Column('low', sa.BigInteger(), nullable=True),
    sa.Column('high', sa.BigInteger(), nullable=True),
    sa.Column('what', sa.String(), nullable=True),
    sa.Column('unit_text', sa.String(), nullable=True),
    sa.Column('vague', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_quantities_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_quantities_claim_id_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_id', 'pos', name=op.f('pk_quantities'))
    )
    op.create_index('ix_quantities_article_id', 'quantities', ['article_id'])


def downgrade() -> None:
    op.drop_table('quantities')
    op.drop_table('event_claims')
    op.drop_table('times')
    op.drop_table('places')
    op.drop_table('links')
    op.drop_table('extractions')
    op.drop_table('events')
    op.drop_table('claims')
    op.drop_table('articles')

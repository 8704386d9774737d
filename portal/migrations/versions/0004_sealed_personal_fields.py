"""families' details as sealable text: JSON, encrypted when keys are set

Every personal column becomes text holding JSON (see portal/db/sealed.py),
so `flask db encrypt` can seal it in place. Values already there are
JSON-encoded here; nothing is encrypted by a migration, which never sees
the keys.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# (table, column, its type before, whether it already held JSON)
COLUMNS = [
    ('referrals', 'parent_name', sa.String(length=100), False),
    ('referrals', 'phone', sa.String(length=20), False),
    ('referrals', 'email', sa.String(length=254), False),
    ('referrals', 'contact_ways', sa.JSON(), True),
    ('referrals', 'best_times', sa.JSON(), True),
    ('referrals', 'postcode', sa.String(length=8), False),
    ('referrals', 'address', sa.Text(), False),
    ('referrals', 'children', sa.JSON(), True),
    ('referrals', 'help_with', sa.JSON(), True),
    ('referrals', 'details', sa.Text(), False),
    ('referrals', 'spoken_language', sa.String(length=60), False),
    ('referral_drafts', 'answers', sa.JSON(), True),
    ('referral_events', 'text', sa.Text(), False),
]


def _to_json(dialect, column):
    """SQL that turns a text column's value into a JSON string (NULL stays NULL)."""
    if dialect == 'postgresql':
        return f'to_json("{column}")::text'
    return f'CASE WHEN "{column}" IS NULL THEN NULL ELSE json_quote("{column}") END'


def _from_json(dialect, column):
    if dialect == 'postgresql':
        return f'("{column}"::json #>> \'{{}}\')'
    return f'json_extract("{column}", \'$\')'


def upgrade():
    dialect = op.get_bind().dialect.name
    for table in sorted({table for table, *_ in COLUMNS}):
        with op.batch_alter_table(table) as batch_op:
            for name, before, is_json in [(c, b, j) for t, c, b, j in COLUMNS if t == table]:
                extra = {'postgresql_using': f'"{name}"::text'} if dialect == 'postgresql' else {}
                batch_op.alter_column(name, type_=sa.Text(), existing_type=before, **extra)
    for table, name, _, is_json in COLUMNS:
        if not is_json:
            op.execute(f'UPDATE "{table}" SET "{name}" = {_to_json(dialect, name)}')


def downgrade():
    # Only for plain (unsealed) values: encrypted ones cannot be turned back here.
    dialect = op.get_bind().dialect.name
    for table, name, _, is_json in COLUMNS:
        if not is_json:
            op.execute(f'UPDATE "{table}" SET "{name}" = {_from_json(dialect, name)}')
    for table in sorted({table for table, *_ in COLUMNS}):
        with op.batch_alter_table(table) as batch_op:
            for name, before, is_json in [(c, b, j) for t, c, b, j in COLUMNS if t == table]:
                extra = {'postgresql_using': f'"{name}"::{"json" if is_json else "text"}'} \
                    if dialect == 'postgresql' else {}
                batch_op.alter_column(name, type_=before, existing_type=sa.Text(), **extra)

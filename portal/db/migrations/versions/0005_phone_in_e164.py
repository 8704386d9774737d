"""a family's phone number in E.164 beside the number as typed

The team dials +447700900982 whatever the family typed ("07700 900 982",
"+44 (0)7700 900982"); the typed number is what the family is read back.
Personal, so sealed text like the other details (see portal/db/sealed.py).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('referrals') as batch_op:
        batch_op.add_column(sa.Column('phone_e164', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('referrals') as batch_op:
        batch_op.drop_column('phone_e164')

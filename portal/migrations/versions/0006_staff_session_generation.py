"""a staff account's session generation

Every signed-in session carries the generation its account had when it
signed in; signing out, a new password or an administrator's "sign out
everywhere" adds one, and every session carrying an older number (a copied
cookie included) is no longer signed in. Existing accounts start at 0.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_users') as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), nullable=False,
                                      server_default='0'))


def downgrade():
    with op.batch_alter_table('staff_users') as batch_op:
        batch_op.drop_column('session_generation')

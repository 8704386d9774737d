"""editors: the editor role and page reports; the audit log refuses changes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

REFUSE = "the audit log is written once and never changed"
# The database itself refuses to change or delete an audit entry, whatever
# code (ours, a console, a future bug) asks it to.
GUARDS = {
    "sqlite": [
        f"CREATE TRIGGER audit_log_no_{verb} BEFORE {verb.upper()} ON audit_log "
        f"BEGIN SELECT RAISE(ABORT, '{REFUSE}'); END"
        for verb in ("update", "delete")
    ],
    "postgresql": [
        "CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{REFUSE}'; END $$",
        "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse()",
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse()",
    ],
}
UNGUARDS = {
    "sqlite": ["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"],
    "postgresql": ["DROP TRIGGER audit_log_no_change ON audit_log",
                   "DROP TRIGGER audit_log_no_truncate ON audit_log",
                   "DROP FUNCTION audit_log_refuse()"],
}


def upgrade():
    op.create_table('page_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lang', sa.String(length=12), nullable=False),
    sa.Column('section', sa.String(length=20), nullable=False),
    sa.Column('page_id', sa.String(length=100), nullable=False),
    sa.Column('problem', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('dealt_with_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('dealt_with_by', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page_reports'))
    )
    with op.batch_alter_table('page_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_page_reports_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_page_reports_dealt_with_at'), ['dealt_with_at'], unique=False)

    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_editor', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))

    for statement in GUARDS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in UNGUARDS.get(op.get_bind().dialect.name, []):
        op.execute(statement)

    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_column('is_editor')

    with op.batch_alter_table('page_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_page_reports_dealt_with_at'))
        batch_op.drop_index(batch_op.f('ix_page_reports_created_at'))

    op.drop_table('page_reports')

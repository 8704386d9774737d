"""Alembic environment: the URL and metadata come from the app's config."""

from alembic import context

from portal.db.base import Base
from portal.editors import models as _editors  # noqa: F401
from portal.outbox import models as _outbox  # noqa: F401  (register the tables)
from portal.referrals import models as _referrals  # noqa: F401
from portal.staff import models as _staff  # noqa: F401

config = context.config
connection = config.attributes.get("connection")

if connection is None:
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      target_metadata=Base.metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()

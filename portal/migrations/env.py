"""Alembic environment: the URL and metadata come from the app's config."""

from alembic import context

from portal.models import Base

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

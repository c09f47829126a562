"""Alembic environment: runs migrations against the URL the portal configures."""

from alembic import context
from sqlalchemy import create_engine

import portal.events.models  # noqa: F401  (registers the feature tables on Base.metadata)
from portal.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()

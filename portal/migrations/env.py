"""Alembic environment: runs migrations against the URL the portal configures."""

from alembic import context
from sqlalchemy import create_engine

from portal.migrations.metadata import target_metadata as all_tables

config = context.config
target_metadata = all_tables()


def run() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()

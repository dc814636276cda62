"""Alembic environment: runs on the connection ``annotations.migrate`` hands over.

There is no alembic.ini: :func:`annotations.migrate.ensure_schema` builds the config in code, puts
an open connection (inside its own transaction) in ``config.attributes["connection"]`` and calls
``alembic.command.upgrade``. Offline (SQL script) mode is not supported.
"""

from __future__ import annotations

from alembic import context

from annotations.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through annotations.migrate, which passes a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

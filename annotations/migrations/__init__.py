"""Alembic migration scripts of the annotation store, run in code by ``annotations.migrate``."""

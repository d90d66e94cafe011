"""Whether the database is at the migrations' head revision."""

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from .extensions import db


def migrations_current() -> bool:
    config = current_app.extensions["migrate"].migrate.get_config()
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with db.engine.connect() as conn:
        applied = set(MigrationContext.configure(conn).get_current_heads())
    return applied == heads

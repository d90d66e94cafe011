"""``flask --app wsgi news ...``: publishing scheduled posts (cron) and re-rendering cached HTML."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

group = click.Group("news", help="Village news (마을 소식).")


@group.command("publish-due")
@with_appcontext
def publish_due():
    """Notify followers of scheduled posts whose time has come (idempotent; run from cron)."""
    from .services.follows import publish_due as run

    count = run()
    click.echo(f"published {count} scheduled post(s)")


@group.command("rerender")
@with_appcontext
def rerender():
    """Render every post's Markdown again (after a change of the sanitiser's allow-list)."""
    from sqlalchemy import select

    from ..core.db import transaction
    from ..core.extensions import db
    from . import render
    from .models import Post

    ids = list(db.session.execute(select(Post.id).order_by(Post.id)).scalars())
    for start in range(0, len(ids), 500):
        with transaction():
            for post in (
                db.session.execute(select(Post).where(Post.id.in_(ids[start : start + 500])))
                .unique()
                .scalars()
            ):
                post.body_html = render.render_markdown(post.body)
                post.excerpt = render.excerpt(post.body_html)
    click.echo(f"re-rendered {len(ids)} post(s)")

"""The ceiling of the pages bench: a bare Flask + SQLAlchemy app doing a list page's essential work.

One query for page 3 (20 rows) of the same ``listings`` table the market lists, newest first, on the
same database (``DATABASE_URL``), answered as JSON (``/items``) or rendered through a small Jinja
template (``/items.html``): what any list page or API must do at least, without the platform's
sessions, filters, totals, i18n and layout.
"""

from __future__ import annotations

import os

from flask import Flask, jsonify, render_template_string, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Column, DateTime, Integer, String, select
from sqlalchemy.orm import DeclarativeBase

PAGE = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>물건</title></head><body>
<main><h1>물건 나눔</h1><ul>
{% for r in rows %}<li><a href="/items/{{ r.id }}">{{ r.title }}</a> <span>{{ r.dong }}</span>
<p>{{ r.description }}</p></li>
{% endfor %}</ul></main></body></html>"""


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Item(db.Model):
    __tablename__ = "listings"
    id = Column(Integer, primary_key=True)
    title = Column(String)
    description = Column(String)
    dong = Column(String)
    created_at = Column(DateTime(timezone=True))


def _rows():
    page = max(request.args.get("page", 1, type=int), 1)
    stmt = select(Item).order_by(Item.id.desc()).limit(20).offset((page - 1) * 20)
    return db.session.execute(stmt).scalars().all()


def app() -> Flask:
    flask_app = Flask("ceiling")
    flask_app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    db.init_app(flask_app)

    @flask_app.get("/items")
    def items():
        return jsonify(
            {
                "items": [
                    {"id": r.id, "title": r.title, "description": r.description, "dong": r.dong}
                    for r in _rows()
                ]
            }
        )

    @flask_app.get("/items.html")
    def items_html():
        return render_template_string(PAGE, rows=_rows())

    @flask_app.get("/healthz")
    def healthz():
        return "ok"

    return flask_app

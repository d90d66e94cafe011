"""Operator commands, demo data and the moderation hooks the admin queue calls."""

from sqlalchemy import func, select

from sharing.archive import demo, services
from sharing.archive.models import Resource, ResourceTag
from sharing.core.extensions import db


def count(model=Resource):
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_demo_seed_is_idempotent_and_scales(make):
    make.centre(email=demo.CENTRE)
    make.user(email=demo.RESOURCES[11][9])  # a resident owner (the others fall back to the centre)
    lines = []
    demo.seed(0, lines.append)
    named = count()
    assert named == len(demo.RESOURCES), lines
    kinds = set(db.session.execute(select(Resource.kind)).scalars())
    assert kinds == {"person", "space", "equipment", "organization", "program"}
    demo.seed(0, lines.append)
    assert count() == named
    demo.seed(50, lines.append)
    assert count() == named + 50
    demo.seed(50, lines.append)
    assert count() == named + 50
    assert count(ResourceTag) > 100
    from sharing.archive.services import queries

    # the search index was filled by the bulk load too
    assert db.session.execute(queries.count(queries.Filters(q="공구 대여"))).scalar_one() > 0
    assert db.session.execute(queries.count(queries.Filters(q="공구"))).scalar_one() > 0


def test_demo_without_a_centre_does_nothing(app):
    lines = []
    demo.seed(10, lines.append)
    assert count() == 0 and "skipped" in lines[0]


def test_cli_export_and_import(runner, make, tmp_path):
    centre = make.centre(email="ops@example.kr")
    services.create(
        centre, {"kind": "space", "category": "culture", "name": "=위험한 이름", "dong": "성북동"}
    )
    target = tmp_path / "out.csv"
    result = runner.invoke(args=["archive", "export", str(target)])
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "'=위험한 이름".encode() in data
    result = runner.invoke(args=["archive", "import", str(target), "--as", "ops@example.kr"])
    assert result.exit_code == 0 and "dry run" in result.output and "unchanged 1" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("kind,category,name,dong\nrobot,care,x,성북동\n", encoding="utf-8")
    result = runner.invoke(args=["archive", "import", str(bad), "--as", "ops@example.kr", "--commit"])
    assert result.exit_code == 1
    assert runner.invoke(args=["archive", "stale"]).output.strip() == "stale entries: 0"
    assert runner.invoke(args=["archive", "reindex"]).exit_code == 0


def test_describe_target_for_the_moderation_queue(app, cast):
    with app.test_request_context():
        info = services.describe_target("resource", cast.resource.id)
    assert info == {
        "title": "전동드릴 빌려드려요",
        "author_id": cast.owner.id,
        "url": f"/archive/{cast.resource.id}",
        "hidden": False,
    }
    assert services.describe_target("resource", 99999) is None
    assert services.describe_target("post", cast.resource.id) is None

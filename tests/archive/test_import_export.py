"""Open data: CSV/JSON exports, the centre's CSV import (encodings, header, duplicates, all or
nothing), the round trip and formula-injection escaping."""

import csv
import io
import json

import pytest
from sqlalchemy import delete, func, select

from sharing.archive import services
from sharing.archive.models import Resource, ResourceRevision, ResourceTag
from sharing.archive.services import export, importer
from sharing.archive.services.import_plan import NEW_ID_MAX
from sharing.core import csv as csvfile
from sharing.core.errors import Forbidden, Invalid
from sharing.core.extensions import db
from tests.helpers import has_korean

from .conftest import new_resource

HEADER = "kind,category,name,description,dong,tags,external_id\n"


def csv_rows(body: bytes):
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def run(
    client, auth, user, data: bytes, *, dry_run=False, strict=True, content_type="text/csv; charset=utf-8"
):
    query = [q for q, on in (("dry_run=1", dry_run), ("strict=1", strict)) if on]
    url = "/api/v1/resources/import" + ("?" + "&".join(query) if query else "")
    return client.post(url, data=data, headers={**auth.headers(user), "Content-Type": content_type})


def count():
    return db.session.execute(select(func.count()).select_from(Resource)).scalar_one()


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+82-10-1234", "'+82-10-1234"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("'quoted", "''quoted"),
        ("'", "''"),
        ("plain", "plain"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_escape_and_unescape_are_inverse(value, escaped):
    assert csvfile.escape_cell(value) == escaped
    assert csvfile.unescape_cell(escaped) == value


def test_foreign_leading_quote_is_kept():
    assert csvfile.unescape_cell("'hello") == "'hello"


def test_csv_export_columns_bom_and_escaping(client, cast, make):
    new_resource(cast.owner, name='=HYPERLINK("http://x")', description="-목록\n- 둘째 줄", tags=["@태그"])
    services.set_archived(cast.centre, cast.org_resource.id, True)
    response = client.get("/archive/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.is_streamed
    rows = csv_rows(response.data)
    assert tuple(rows[0]) == export.COLUMNS
    assert len(rows) == 3  # the archived entry is not exported
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["name"] == "전동드릴 빌려드려요"
    assert first["zone"] == "정릉" and first["tags"] == "공구, 대여"
    assert "contact" not in first and "010-1234-5678" not in response.data.decode("utf-8")
    tricky = dict(zip(rows[0], rows[2], strict=True))
    assert tricky["name"] == '\'=HYPERLINK("http://x")'
    assert tricky["description"] == "'-목록\n- 둘째 줄"
    assert tricky["tags"] == "'@태그"
    assert b"\r\n" in response.data


def test_json_export(client, cast):
    response = client.get("/archive/export.json")
    assert response.status_code == 200
    items = json.loads(response.data)
    assert [i["id"] for i in items] == [cast.resource.id, cast.org_resource.id]
    assert list(items[0]) == list(export.COLUMNS)
    assert items[1]["organization_name"] == "동네목수" and items[1]["organization_id"] == cast.org.id
    assert items[0]["tags"] == ["공구", "대여"]
    assert all("contact" not in i for i in items)


def test_json_export_of_an_empty_archive(client):
    assert json.loads(client.get("/archive/export.json").data) == []
    assert csv_rows(client.get("/archive/export.csv").data) == [list(export.COLUMNS)]


def test_round_trip_into_an_empty_archive_is_byte_identical(client, auth, cast, make):
    new_resource(
        cast.owner,
        name="=1+1 계산기",
        description='+82 10 국제번호\r\n\'따옴표로 시작하는 줄\n@멘션, "인용"',
        tags=["-빼기", "'따옴표", "쉼표 없는 태그"],
        availability="\t탭으로 시작",
        dong="석관동",
    )
    services.update(cast.centre, cast.org_resource.id, {"external_id": "SE-2024-001"})
    first = client.get("/archive/export.csv").data
    # Empty the archive (the organisations stay), then import the export.
    with db.session.begin():
        db.session.execute(delete(ResourceRevision))
        db.session.execute(delete(ResourceTag))
        db.session.execute(delete(Resource))
    assert count() == 0
    r = run(client, auth, cast.centre, first)
    assert r.status_code == 201, r.json
    assert (r.json["created"], r.json["updated"], r.json["rejected"]) == (3, 0, 0)
    second = client.get("/archive/export.csv").data
    assert second == first
    # New entries registered after the restore get fresh ids (the sequence moved past the import).
    again = new_resource(cast.centre, name="복원 뒤 새 자원")
    assert again.id > max(row["id"] for row in r.json["rows"])


def test_reimporting_the_same_file_changes_nothing(client, auth, cast):
    body = client.get("/archive/export.csv").data
    revisions_before = db.session.execute(select(func.count()).select_from(ResourceRevision)).scalar_one()
    r = run(client, auth, cast.centre, body)
    assert r.status_code == 201
    assert (r.json["created"], r.json["updated"], r.json["unchanged"], r.json["rejected"]) == (0, 0, 2, 0)
    assert r.json["rows"] == []
    revisions_after = db.session.execute(select(func.count()).select_from(ResourceRevision)).scalar_one()
    assert revisions_after == revisions_before
    assert client.get("/archive/export.csv").data == body


def test_public_list_by_name_and_dong_then_update(client, auth, cast):
    body = (
        "유형,분야,이름,설명,행정동,태그\n"
        "단체,돌봄,성북돌봄사회적협동조합,어르신 돌봄,길음1동,돌봄\n"
        'organization,food,나무와 열매,친환경 먹거리,삼선동,"먹거리, 나눔"\n'
    ).encode()
    r = run(client, auth, cast.centre, body)
    assert r.status_code == 201, r.json
    assert r.json["created"] == 2
    created = db.session.execute(select(Resource).where(Resource.name == "나무와 열매")).scalar_one()
    assert (created.kind, created.category, created.tag_list) == ("organization", "food", ["먹거리", "나눔"])
    assert created.owner_id == cast.centre.id
    assert services.history(created.id)[0].action == "import"
    r = run(client, auth, cast.centre, body.replace("친환경 먹거리".encode(), "유기농 먹거리".encode()))
    assert (r.json["created"], r.json["updated"], r.json["unchanged"]) == (0, 1, 1)
    assert r.json["rows"][0]["changed"] == ["description"]
    db.session.rollback()  # end the test's read snapshot
    assert db.session.get(Resource, created.id).description == "유기농 먹거리"


@pytest.mark.parametrize("encoding", ["euc-kr", "cp949", "utf-8", "utf-8-sig"])
def test_korean_encodings_are_detected(client, auth, cast, encoding):
    text = HEADER + "space,culture,똠방각하 공연장,뷁 소리가 나는 무대,정릉3동,공연,SE-1\n"
    if encoding == "euc-kr":
        text = text.replace("똠방각하", "성북구립").replace("뷁", "큰")  # EUC-KR lacks these syllables
    data = text.encode(encoding)
    r = run(client, auth, cast.centre, data)
    assert r.status_code == 201, r.json
    resource = db.session.execute(select(Resource).where(Resource.external_id == "SE-1")).scalar_one()
    assert resource.name.endswith("공연장") and resource.dong == "정릉3동"


def test_multipart_file_upload(client, auth, cast):
    data = (HEADER + "equipment,repair,사다리,2m 사다리,장위1동,공구,\n").encode("cp949")
    r = client.post(
        "/api/v1/resources/import",
        data={"file": (io.BytesIO(data), "list.csv")},
        headers=auth.headers(cast.centre),
        content_type="multipart/form-data",
    )
    assert r.status_code == 201, r.json
    assert r.json["created"] == 1


def test_other_encodings_are_a_clear_422(client, auth, cast):
    r = run(client, auth, cast.centre, (HEADER + "person,care,돌봄,설명,길음1동,,\n").encode("utf-16"))
    assert r.status_code == 422
    assert r.json["error"]["code"] == "unsupported_encoding"
    assert "UTF-8" in r.json["error"]["message"]


def test_wrong_header_names_missing_and_unknown_columns(client, auth, cast):
    r = run(client, auth, cast.centre, "kind,title,dong,colour\nperson,x,정릉3동,red\n".encode())
    assert r.status_code == 422
    error = r.json["error"]
    assert error["code"] == "invalid_header"
    assert set(error["fields"]["missing"]) == {"category", "name"}
    assert set(error["fields"]["unknown"]) == {"title", "colour"}
    assert "category" in error["message"] and "colour" in error["message"]
    assert count() == 2


def test_empty_file_and_missing_body(client, auth, cast):
    assert run(client, auth, cast.centre, b"").status_code == 400
    r = run(client, auth, cast.centre, b"\xef\xbb\xbf\n\n")
    assert r.status_code == 422 and r.json["error"]["code"] == "empty_file"


def test_duplicate_rows_in_one_file_are_rejected(client, auth, cast):
    body = (
        HEADER
        + "person,care,돌봄 재능,a,길음1동,,\n"
        + "person,care,돌봄 재능,b,길음1동,,\n"
        + "person,care,다른 재능,c,길음1동,,X-1\n"
        + "person,care,또 다른 재능,d,길음2동,,X-1\n"
    ).encode()
    r = run(client, auth, cast.centre, body, dry_run=True)
    assert r.status_code == 200
    rejected = {row["row"]: row["reasons"] for row in r.json["rows"] if row["action"] == "rejected"}
    assert set(rejected) == {3, 5}
    assert "2행" in rejected[3][0] and "4행" in rejected[5][0]
    r = run(client, auth, cast.centre, body)
    assert r.status_code == 422 and set(r.json["error"]["fields"]["rows"]) == {"3", "5"}


def test_one_bad_row_in_commit_mode_writes_nothing(client, auth, cast):
    body = (
        HEADER
        + "person,care,좋은 행,설명,길음1동,,\n"
        + "person,care,나쁜 행,설명,역삼동,,\n"
        + f"person,care,{'가' * 101},설명,길음1동,,\n"
        + "robot,care,유형 오류,설명,길음1동,,\n"
    ).encode()
    before = client.get("/archive/export.csv").data
    r = run(client, auth, cast.centre, body)
    assert r.status_code == 422
    assert r.json["error"]["code"] == "import_rejected"
    rows = r.json["error"]["fields"]["rows"]
    assert set(rows) == {"3", "4", "5"}
    assert any("dong" in reason for reason in rows["3"])
    assert any("name" in reason for reason in rows["4"])
    assert any("kind" in reason for reason in rows["5"])
    assert count() == 2
    assert client.get("/archive/export.csv").data == before


def test_lenient_import_writes_good_rows_and_reports_rejected(client, auth, cast):
    body = (HEADER + "person,care,좋은 행,설명,길음1동,,\n" + "person,care,나쁜 행,설명,역삼동,,\n").encode()
    before = count()
    r = run(client, auth, cast.centre, body, strict=False)
    assert r.status_code == 201, r.json
    assert r.json["created"] == 1 and r.json["rejected"] == 1
    assert [row["row"] for row in r.json["rows"] if row["action"] == "rejected"] == [3]
    assert count() == before + 1


def test_dry_run_writes_nothing_and_reports_every_row(client, auth, cast):
    body = (HEADER + "person,care,새 재능,설명,길음1동,,\nperson,care,x,설명,없는동,,\n").encode()
    r = run(client, auth, cast.centre, body, dry_run=True)
    assert r.status_code == 200
    assert r.json["dry_run"] is True
    assert (r.json["created"], r.json["rejected"]) == (1, 1)
    assert [row["action"] for row in r.json["rows"]] == ["created", "rejected"]
    assert count() == 2


def test_row_level_checks(client, auth, cast):
    body = (
        "id,kind,category,name,dong,organization_id,confirmed_on\n"
        "abc,person,care,잘못된 id,길음1동,,\n"
        "999,person,care,없는 조직,길음1동,424242,\n"
        "998,person,care,날짜 오류,길음1동,,2020-13-01\n"
        "997,person,care,미래 날짜,길음1동,,2999-01-01\n"
        "996,person,care,열이 모자람,길음1동\n"
    ).encode()
    r = run(client, auth, cast.centre, body, dry_run=True)
    reasons = {row["row"]: " ".join(row["reasons"]) for row in r.json["rows"]}
    assert "id" in reasons[2]
    assert "organization_id" in reasons[3]
    assert "confirmed_on" in reasons[4] and "confirmed_on" in reasons[5]
    assert "열 개수" in reasons[6]
    assert r.json["rejected"] == 5


def test_import_is_for_the_centre_only(cast):
    with pytest.raises(Forbidden):
        importer.run_import(cast.owner, HEADER.encode(), commit=False)
    with pytest.raises(Invalid):
        importer.read(b"\x00\x01")


def test_abandoned_previews_are_removed_after_a_day(app, make):
    import os
    import time

    from sharing.archive.services import staging

    centre = make.centre()
    with app.test_request_context("/"):
        old = staging.stage(centre, b"id,name\n1,old\n")
        fresh = staging.stage(centre, b"id,name\n2,fresh\n")
        directory = staging._staging_dir()
        day_ago = time.time() - staging.STAGED_FOR - 60
        os.utime(directory / f"{old}.csv", (day_ago, day_ago))
        staging.stage(centre, b"id,name\n3,new\n")
        assert not (directory / f"{old}.csv").exists()
        assert staging.staged(centre, fresh) == b"id,name\n2,fresh\n"


@pytest.mark.parametrize(
    "given",
    [str(10**20), str(2**31), "0", "²", "9" * 5000],
    ids=["1e20", "2^31", "zero", "superscript", "5000-digits"],
)
def test_ids_past_the_column_are_refused_per_row(client, auth, cast, given):
    body = (
        "id,kind,category,name,dong,organization_id\n"
        f"{given},person,care,큰 번호,길음1동,\n"
        "7,person,care,작은 번호,길음1동,\n"
        f"5,person,care,큰 조직 번호,길음1동,{given}\n"
    ).encode()
    before = count()
    r = run(client, auth, cast.centre, body)
    assert r.status_code == 422, r.json
    rows = r.json["error"]["fields"]["rows"]
    assert set(rows) == {"2", "4"}
    assert "id" in rows["2"][0] and "organization_id" in rows["4"][0]
    assert all(has_korean(reason) for reason in rows["2"] + rows["4"])
    assert count() == before
    lenient = run(client, auth, cast.centre, body, strict=False)
    assert lenient.status_code == 201, lenient.json
    assert (lenient.json["created"], lenient.json["rejected"]) == (1, 2)
    assert client.get("/api/v1/resources/7").status_code == 200


@pytest.mark.parametrize("given", [2**31 - 1, NEW_ID_MAX + 1])
def test_a_new_entry_may_not_take_the_last_ids(client, auth, cast, given):
    body = f"id,kind,category,name,dong\n{given},person,care,끝 번호,길음1동\n".encode()
    r = run(client, auth, cast.centre, body)
    assert r.status_code == 422, r.json
    (reason,) = r.json["error"]["fields"]["rows"]["2"]
    assert reason.startswith("id:") and has_korean(reason)
    # The largest id allowed still leaves room: the next entry without an id is created after it.
    edge = run(
        client,
        auth,
        cast.centre,
        f"id,kind,category,name,dong\n{NEW_ID_MAX},person,care,경계,길음1동\n".encode(),
    )
    assert edge.status_code == 201, edge.json
    after = run(
        client, auth, cast.centre, "kind,category,name,dong\nperson,care,다음 번호,길음1동\n".encode()
    )
    assert after.status_code == 201, after.json
    assert (
        NEW_ID_MAX < after.json["rows"][0]["id"] < NEW_ID_MAX + 100
    )  # PostgreSQL sequences skip on rollback

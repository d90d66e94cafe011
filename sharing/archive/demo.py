"""Demo data: some twenty Seongbuk resources across kinds, fields and dongs; ``--scale N`` adds N more
in bulk (Core inserts in batches; the FTS triggers fill the search index as rows go in). Idempotent:
rows are recognised by their ``external_id`` (``demo-NN``, ``bulk-NNNNNN``)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, insert, select, text

from ..auth.services import find_by_email
from ..core.db import transaction, utcnow
from ..core.extensions import db
from ..core.vocab import DONGS, RESOURCE_CATEGORIES
from ..orgs.models import Organization
from . import services
from .models import Resource, ResourceRevision, ResourceTag
from .services import revisions

CENTRE = "centre@demo.sharing.kr"

# (key, kind, category, dong, name, description, tags, availability, contact, owner e-mail, organisation)
RESOURCES = (
    ("01", "space", "culture", "정릉3동", "정릉3동 마을활력소 다목적실", "주민 모임, 동아리, 작은 공연에 쓸 수 있는 30석 규모의 다목적실입니다. 빔프로젝터와 음향 장비가 있습니다.", ["대관", "모임", "회의실"], "평일 10시~21시, 토요일 10시~17시 (사전 예약)", "02-000-1001", "junho@demo.sharing.kr", "키득키득"),
    ("02", "equipment", "repair", "장위1동", "장위 공구도서관", "전동드릴, 사다리, 타카, 수평계 등 집수리 공구 60여 종을 빌려 드립니다. 처음 쓰는 분께는 사용법도 알려 드려요.", ["공구", "대여", "전동드릴", "사다리"], "화~토 10시~18시, 최대 3일 대여", "02-000-1002", "junho@demo.sharing.kr", "동네목수"),
    ("03", "person", "repair", "장위1동", "집수리 재능 나눔", "도배, 수전 교체, 방충망 수리 같은 작은 집수리를 도와 드립니다. 재료비만 받습니다.", ["집수리", "도배", "수전교체"], "주말 오전", "010-0000-1003", "junho@demo.sharing.kr", None),
    ("04", "program", "care", "길음1동", "공동육아 방과후 돌봄교실", "초등 저학년 아이들을 위한 방과후 돌봄과 놀이 프로그램. 부모 조합원이 함께 운영합니다.", ["돌봄", "방과후", "공동육아"], "학기 중 평일 13시~19시", "02-000-1004", "junho@demo.sharing.kr", "성북어린이돌봄협동조합"),
    ("05", "program", "safety_net", "월곡2동", "홀몸 어르신 안부 확인 방문", "마을 활동가가 주 1회 홀몸 어르신 댁을 찾아 안부를 묻고 필요한 복지 서비스를 연결합니다.", ["어르신", "안부", "돌봄"], "매주 수요일", "02-000-1005", CENTRE, None),
    ("06", "space", "food", "삼선동", "삼선동 마을부엌", "반찬 나눔과 요리 모임에 쓰는 공유 부엌. 조리 도구와 냉장고를 함께 씁니다.", ["공유부엌", "반찬나눔", "요리모임"], "매일 9시~20시 (예약제)", "02-000-1006", "junho@demo.sharing.kr", "나무와 열매"),
    ("07", "person", "clothing", "삼선동", "옷 수선·재봉틀 강습", "바짓단 줄이기, 지퍼 교체 같은 옷 수선을 해 드리고 재봉틀 쓰는 법을 가르쳐 드립니다.", ["수선", "재봉틀", "강습"], "평일 저녁", "010-0000-1007", "seoyeon@demo.sharing.kr", None),
    ("08", "program", "culture", "성북동", "성북동 한옥마을 해설 산책", "주민 해설사와 함께 성북동 옛길과 한옥, 문인들의 집터를 걷는 두 시간 산책 프로그램.", ["마을해설", "산책", "한옥"], "매월 둘째·넷째 토요일 10시", "02-000-1008", "junho@demo.sharing.kr", "성북동 아름다운 사람들"),
    ("09", "space", "environment", "석관동", "석관동 에코 텃밭", "주민 30가구가 함께 가꾸는 공동 텃밭. 퇴비장과 빗물 저금통이 있습니다.", ["텃밭", "도시농업", "퇴비"], "3월~11월, 해 뜰 때부터 해 질 때까지", "02-000-1009", "junho@demo.sharing.kr", "협동조합 성북신나"),
    ("10", "program", "environment", "장위2동", "베란다 태양광 미니발전소 상담", "에너지 자립 마을을 위한 베란다 태양광 설치 상담과 공동구매 안내.", ["태양광", "에너지", "상담"], "매주 목요일 14시~17시", "02-000-1010", "junho@demo.sharing.kr", "협동조합 에너토피아"),
    ("11", "person", "education", "길음1동", "중학생 수학 공부 멘토링", "대학생 주민이 중학생 수학 공부를 일대일로 봐 줍니다.", ["멘토링", "수학", "청소년"], "화·목 18시~20시", "010-0000-1011", "dohyun@demo.sharing.kr", None),
    ("12", "equipment", "culture", "정릉3동", "4인용 캠핑 텐트와 코펠", "가족 캠핑용 텐트와 코펠 세트를 빌려 드립니다. 깨끗이 써 주세요.", ["캠핑", "텐트", "대여"], "주말 대여, 금요일 저녁 인수", "010-0000-1012", "minji@demo.sharing.kr", None),
    ("13", "equipment", "education", "종암동", "빔프로젝터와 이동식 스크린", "마을 행사나 교육에 쓸 수 있는 빔프로젝터와 100인치 스크린.", ["빔프로젝터", "행사", "대여"], "평일 대여", "02-000-1013", "junho@demo.sharing.kr", "한국통합체험학습센터"),
    ("14", "organization", "safety", "월곡1동", "월곡1동 주민 방범순찰대", "저녁 시간에 골목과 공원을 함께 도는 주민 순찰 모임. 새 회원을 찾습니다.", ["방범", "순찰", "안전"], "매주 금요일 20시", "02-000-1014", CENTRE, None),
    ("15", "space", "parking", "돈암2동", "거주자 우선주차 나눔 구역", "낮 시간에 비는 거주자 우선주차 구획을 이웃과 나눠 씁니다.", ["주차", "나눔주차"], "평일 9시~18시", "02-000-1015", CENTRE, None),
    ("16", "program", "health", "돈암1동", "찾아가는 건강 상담", "간호사가 경로당을 찾아 혈압·혈당을 재고 건강 상담을 합니다.", ["건강상담", "어르신", "경로당"], "매월 첫째 화요일", "02-000-1016", CENTRE, None),
    ("17", "space", "education", "동선동", "동선동 작은도서관", "그림책과 청소년 도서 8천 권이 있는 작은도서관. 독서 모임 공간도 빌려 줍니다.", ["도서관", "독서모임", "그림책"], "화~일 10시~19시", "02-000-1017", CENTRE, None),
    ("18", "organization", "public_service", "보문동", "보문동 청년 주거 협동조합", "청년 1인 가구의 주거 상담과 공유주택 운영을 하는 협동조합.", ["청년", "주거", "협동조합"], "", "02-000-1018", CENTRE, None),
    ("19", "person", "education", "안암동", "그림책 읽어 주기 재능", "어린이집과 작은도서관에서 그림책을 읽어 드립니다.", ["그림책", "어린이", "자원봉사"], "평일 오전", "010-0000-1019", "minji@demo.sharing.kr", None),
    ("20", "program", "food", "정릉4동", "정릉 김장 나눔", "주민이 함께 김장을 담가 이웃 어르신과 나누는 연례 행사.", ["김장", "나눔", "행사"], "매년 11월 셋째 주말", "02-000-1020", CENTRE, None),
    ("21", "program", "repair", "장위3동", "노후주택 단열 점검", "겨울 전에 오래된 집의 창호와 단열 상태를 점검하고 고칠 곳을 알려 드립니다.", ["단열", "집수리", "에너지"], "10월~12월, 예약제", "02-000-1021", "junho@demo.sharing.kr", "동네목수"),
    ("22", "equipment", "health", "길음2동", "휠체어·보행보조기 대여", "다친 주민이나 어르신께 휠체어와 보행보조기를 무료로 빌려 드립니다.", ["휠체어", "대여", "어르신"], "평일 9시~18시", "02-000-1022", CENTRE, None),
)  # fmt: skip

BULK_WORDS = (
    ("공구 대여", "equipment", "repair", ["공구", "대여"]),
    ("집수리 재능", "person", "repair", ["집수리"]),
    ("돌봄 교실", "program", "care", ["돌봄", "아이"]),
    ("마을 부엌", "space", "food", ["공유부엌"]),
    ("공동 텃밭", "space", "environment", ["텃밭"]),
    ("영어 멘토링", "person", "education", ["멘토링", "영어"]),
    ("옷 수선", "person", "clothing", ["수선"]),
    ("회의실 대관", "space", "culture", ["대관", "모임"]),
    ("건강 상담", "program", "health", ["건강상담"]),
    ("방범 순찰", "organization", "safety", ["방범"]),
    ("나눔 주차", "space", "parking", ["주차"]),
    ("안부 확인", "program", "safety_net", ["어르신", "안부"]),
    ("민원 안내", "organization", "public_service", ["안내"]),
    ("캠핑 장비", "equipment", "other", ["캠핑", "대여"]),
)


def seed(scale: int, echo) -> None:
    centre = find_by_email(CENTRE)
    if centre is None:
        echo("archive: no centre account (run the auth demo first); skipped")
        return
    created = _seed_named(centre)
    echo(f"archive: {created} demo resources created ({len(RESOURCES)} in the demo set)")
    if scale:
        added = _seed_bulk(scale)
        echo(f"archive: {added} bulk resources added (scale {scale})")


def _seed_named(centre) -> int:
    orgs = {o.name: o.id for o in db.session.execute(select(Organization)).scalars()}
    created = 0
    with transaction():
        for key, kind, category, dong, name, description, tags, hours, contact, email, org in RESOURCES:
            external_id = f"demo-{key}"
            if db.session.execute(select(Resource.id).where(Resource.external_id == external_id)).first():
                continue
            owner = find_by_email(email) or centre
            resource = Resource(
                kind=kind,
                category=category,
                dong=dong,
                name=name,
                description=description,
                availability=hours,
                contact=contact,
                external_id=external_id,
                organization_id=orgs.get(org) if org else None,
                owner_id=owner.id,
                confirmed_at=utcnow() - timedelta(days=400 if key in ("15", "18") else int(key) * 9),
            )
            db.session.add(resource)
            db.session.flush()
            services.set_tags(resource, tags)
            db.session.flush()
            revisions.record(resource, owner, "create", revisions.diff({}, revisions.snapshot(resource)))
            created += 1
    return created


def _seed_bulk(scale: int, batch: int = 2000) -> int:
    existing = db.session.execute(
        select(func.count()).select_from(Resource).where(Resource.external_id.like("bulk-%"))
    ).scalar_one()
    if existing >= scale:
        return 0
    now = utcnow()
    categories = list(RESOURCE_CATEGORIES)
    added = 0
    with transaction():
        next_id = (db.session.execute(select(func.max(Resource.id))).scalar() or 0) + 1
        for start in range(existing, scale, batch):
            rows, tag_rows, revision_rows = [], [], []
            for i in range(start, min(start + batch, scale)):
                word, kind, category, tags = BULK_WORDS[i % len(BULK_WORDS)]
                if i % 5 == 0:  # some entries in other fields, so every field has a few
                    category = categories[(i // 5) % len(categories)]
                dong = DONGS[(i * 7) % len(DONGS)]
                tags = [*tags, dong]
                name = f"{dong} {word} {i + 1}"
                created_at = now - timedelta(days=(i * 13) % 730)
                rows.append(
                    {
                        "id": next_id,
                        "kind": kind,
                        "category": category,
                        "name": name,
                        "description": f"{dong}에서 이웃과 나누는 {word}입니다. 필요한 분은 연락 주세요.",
                        "dong": dong,
                        "tags_text": ", ".join(tags),
                        "contact": "",
                        "availability": "평일 낮",
                        "external_id": f"bulk-{i + 1:06d}",
                        "confirmed_at": created_at if i % 10 else now - timedelta(days=400 + i % 300),
                        "created_at": created_at,
                        "updated_at": created_at,
                    }
                )
                tag_rows += [{"resource_id": next_id, "tag": t} for t in tags]
                revision_rows.append(
                    {
                        "resource_id": next_id,
                        "action": "create",
                        "changes": {"name": [None, name]},
                        "created_at": created_at,
                    }
                )
                next_id += 1
            db.session.execute(insert(Resource.__table__), rows)
            db.session.execute(insert(ResourceTag.__table__), tag_rows)
            db.session.execute(insert(ResourceRevision.__table__), revision_rows)
            added += len(rows)
        if db.engine.dialect.name == "postgresql":
            db.session.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('resources', 'id'), (SELECT max(id) FROM resources))"
                )
            )
    return added

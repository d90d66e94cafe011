"""Reading an import file: its encoding (UTF-8 with or without BOM, else CP949/EUC-KR), its header
(English column names or their Korean aliases) and its rows."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from ...core.errors import BadRequest, Invalid, TooLarge
from .export import COLUMNS

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
REQUIRED_COLUMNS = ("kind", "category", "name", "dong")
DERIVED_COLUMNS = ("zone", "organization_name")
ALLOWED_COLUMNS = (*COLUMNS, "contact")
ALIASES = {
    "아이디": "id",
    "번호": "id",
    "외부id": "external_id",
    "관리번호": "external_id",
    "유형": "kind",
    "자원유형": "kind",
    "분야": "category",
    "이름": "name",
    "명칭": "name",
    "자원명": "name",
    "설명": "description",
    "소개": "description",
    "행정동": "dong",
    "권역": "zone",
    "태그": "tags",
    "이용안내": "availability",
    "운영시간": "availability",
    "연락처": "contact",
    "조직번호": "organization_id",
    "조직명": "organization_name",
    "확인일": "confirmed_on",
}


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not), else CP949 (a superset of EUC-KR); anything else is a 422."""
    if b"\x00" not in data:
        for encoding in ("utf-8-sig", "cp949"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise Invalid(
        _("파일 인코딩을 읽을 수 없습니다. UTF-8 또는 EUC-KR(CP949)로 저장해 주세요."),
        code="unsupported_encoding",
        fields={"file": [_("UTF-8 또는 EUC-KR(CP949) CSV 파일이어야 합니다.")]},
    )


def _header(cells: list[str]) -> list[str]:
    names = []
    for cell in cells:
        raw = cell.strip().lstrip("\ufeff").strip()
        key = raw.lower().replace(" ", "")
        names.append(ALIASES.get(key, ALIASES.get(raw, raw.lower())))
    unknown = [c for c, n in zip(cells, names, strict=True) if n not in ALLOWED_COLUMNS]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    repeated = sorted({n for n in names if names.count(n) > 1 and n in ALLOWED_COLUMNS})
    problems = []
    if missing:
        problems.append(_("빠진 열: %(c)s", c=", ".join(missing)))
    if unknown:
        problems.append(_("알 수 없는 열: %(c)s", c=", ".join(u.strip() or "(빈 이름)" for u in unknown)))
    if repeated:
        problems.append(_("두 번 나온 열: %(c)s", c=", ".join(repeated)))
    if problems:
        raise Invalid(
            _("CSV 머리글이 올바르지 않습니다. %(p)s", p=" ".join(problems)),
            code="invalid_header",
            fields={"header": problems, "missing": missing, "unknown": unknown},
        )
    return names


def read(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(column names, [(row number, cells)]); row 1 is the header, blank lines are skipped."""
    if len(data) > MAX_BYTES:
        raise TooLarge(_("CSV 파일은 5MB까지 가져올 수 있습니다."))
    text = decode(data)
    if not text.strip():
        raise Invalid(_("빈 파일입니다."), code="empty_file", fields={"file": [_("빈 파일입니다.")]})
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        lines = list(reader)
    except csv.Error as err:
        raise BadRequest(_("CSV 형식이 올바르지 않습니다: %(e)s", e=str(err))) from None
    header = _header(lines[0])
    rows = []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append((number, cells))
    if len(rows) > MAX_ROWS:
        raise TooLarge(_("한 번에 %(n)s행까지 가져올 수 있습니다.", n=f"{MAX_ROWS:,}"))
    return header, rows

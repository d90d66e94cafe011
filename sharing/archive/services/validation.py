"""Validating and normalising a resource's fields (the API, the pages and the importer share it)."""

from __future__ import annotations

from flask_babel import gettext as _

from ...core.errors import Invalid
from ...core.vocab import DONGS, RESOURCE_CATEGORIES
from ...web.inputs import clean_text
from ..models import (
    AVAILABILITY_MAX,
    CONTACT_MAX,
    DESCRIPTION_MAX,
    EXTERNAL_ID_MAX,
    NAME_MAX,
    TAG_MAX,
    TAGS_MAX,
)
from ..vocab import RESOURCE_KINDS

FIELDS = (
    "kind",
    "category",
    "name",
    "description",
    "dong",
    "tags",
    "contact",
    "availability",
    "organization_id",
    "external_id",
)
REQUIRED = ("kind", "category", "name", "dong")


def normalise_tags(raw) -> list[str]:
    """Tags from a list or a comma-separated string: trimmed, without a leading '#', deduplicated."""
    if raw is None:
        return []
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    tags: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise Invalid(fields={"tags": [_("태그는 문자열이어야 합니다.")]})
        tag = " ".join(clean_text(item).split()).lstrip("#").strip()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _text(value, field: str, max_len: int, problems: dict, *, min_len: int = 0, multiline=False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems[field] = [_("문자열이어야 합니다.")]
        return ""
    value = clean_text(value, multiline=multiline)  # the one control-character rule (the importer too)
    value = value.strip() if multiline else " ".join(value.split())
    if not (min_len <= len(value) <= max_len):
        problems[field] = [
            _("%(min)s자 이상 %(max)s자 이하로 입력해 주세요.", min=min_len, max=max_len)
            if min_len
            else _("%(max)s자 이하로 입력해 주세요.", max=max_len)
        ]
    return value


def clean(values: dict, *, partial: bool = False) -> dict:
    """Validate and normalise the given fields; a 422 naming every bad field."""
    problems: dict = {}
    out: dict = {}
    unknown = set(values) - set(FIELDS)
    for name in sorted(unknown):
        problems[name] = [_("알 수 없는 항목입니다.")]
    if not partial:
        for name in REQUIRED:
            if values.get(name) in (None, ""):
                problems[name] = [_("필수 항목입니다.")]
    for name, value in values.items():
        if name in problems or name not in FIELDS:
            continue
        if name == "kind":
            if value not in RESOURCE_KINDS:
                problems[name] = [_("다음 중 하나여야 합니다: %(c)s", c=", ".join(RESOURCE_KINDS))]
            out[name] = value
        elif name == "category":
            if value not in RESOURCE_CATEGORIES:
                problems[name] = [_("다음 중 하나여야 합니다: %(c)s", c=", ".join(RESOURCE_CATEGORIES))]
            out[name] = value
        elif name == "dong":
            if value not in DONGS:
                problems[name] = [_("성북구의 행정동이 아닙니다.")]
            out[name] = value
        elif name == "name":
            out[name] = _text(value, name, NAME_MAX, problems, min_len=1)
        elif name == "description":
            out[name] = _text(value, name, DESCRIPTION_MAX, problems, multiline=True)
        elif name == "contact":
            out[name] = _text(value, name, CONTACT_MAX, problems)
        elif name == "availability":
            out[name] = _text(value, name, AVAILABILITY_MAX, problems)
        elif name == "external_id":
            text = _text(value, name, EXTERNAL_ID_MAX, problems)
            out[name] = text or None
        elif name == "organization_id":
            if value in (None, ""):
                out[name] = None
            elif isinstance(value, int) and not isinstance(value, bool) and value > 0:
                out[name] = value
            else:
                problems[name] = [_("조직 번호가 올바르지 않습니다.")]
        elif name == "tags":
            try:
                tags = normalise_tags(value)
            except Invalid as err:
                problems.update(err.fields)
                continue
            if len(tags) > TAGS_MAX:
                problems[name] = [_("태그는 %(n)s개까지 붙일 수 있습니다.", n=TAGS_MAX)]
            elif any(len(t) > TAG_MAX for t in tags):
                problems[name] = [_("태그는 하나에 %(n)s자까지입니다.", n=TAG_MAX)]
            out[name] = tags
    if problems:
        raise Invalid(fields=problems)
    return out

"""WTForms pieces shared by every feature's forms, with Korean messages."""

from flask import flash
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import DataRequired, Length

from .vocab import DONGS


def required():
    return DataRequired(message=_l("필수 항목입니다."))


def length(max_len: int, min_len: int = 0):
    return Length(min=min_len, max=max_len, message=_l("%(max)d자 이하로 입력해 주세요.", max=max_len))


def dong_field(label=None, *, allow_blank=False, blank_label=None):
    choices = [(d, d) for d in DONGS]
    if allow_blank:
        choices = [("", blank_label or _l("전체"))] + choices
    validators = [] if allow_blank else [required()]
    return SelectField(label or _l("행정동"), choices=choices, validators=validators)


def choice_field(label, mapping: dict, *, allow_blank=False, blank_label=None):
    choices = [(code, text) for code, text in mapping.items()]
    if allow_blank:
        choices = [("", blank_label or _l("전체"))] + choices
    return SelectField(label, choices=choices, validators=[] if allow_blank else [required()])


def apply_errors(form, err) -> None:
    """Put a service's field errors (DomainError.fields) beside the form's fields."""
    for name, messages in (err.fields or {}).items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + [str(m) for m in messages]


def show_error(form, err) -> None:
    """A service's refusal on its form page: field errors beside the fields, else its message flashed."""
    apply_errors(form, err)
    if not err.fields:
        flash(err.message, "error")

"""WTForms pieces shared by every feature's forms, with Korean messages."""

from babel import support
from flask import current_app, flash, has_request_context
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import Field, PasswordField, SelectField, StringField, TextAreaField
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import Select, TextInput, html_params

from ..core import rates
from ..core.i18n import locale_code
from ..core.vocab import DONGS
from .inputs import clean_text


class Choices(list):
    """A select field's (code, label) pairs as plain strings, with its ``<option>`` markup per
    selected code (filled by :func:`option_tags`)."""

    rendered: dict[str, Markup]


_CHOICES: dict[tuple, Choices] = {}  # (form class, field name, locale) -> choices


class WTFormsMessages:
    """WTForms' own messages ("Not a valid choice.", date errors ...) in the request's locale.

    Flask-WTF reads their catalogue from disk again in every request that shows one (a search page
    with an empty filter did); here each locale's catalogue is read once for the process."""

    def __init__(self) -> None:
        self._by_locale: dict[str, support.Translations] = {}

    def _catalogue(self):
        if not has_request_context():
            return None
        locale = locale_code()
        catalogue = self._by_locale.get(locale)
        if catalogue is None:
            catalogue = support.Translations.load(messages_path(), [locale], domain="wtforms")
            self._by_locale[locale] = catalogue
        return catalogue

    def gettext(self, string):
        catalogue = self._catalogue()
        return string if catalogue is None else catalogue.ugettext(string)

    def ngettext(self, singular, plural, n):
        catalogue = self._catalogue()
        if catalogue is None:
            return singular if n == 1 else plural
        return catalogue.ungettext(singular, plural, n)


WTFORMS_MESSAGES = WTFormsMessages()


def _multiline(value):
    return clean_text(value, multiline=True)


def text_cleaner(field_class):
    """The control-character filter for a form field class: multi-line for a text area, one line
    for any other text field; None for passwords (kept exactly as typed) and non-text fields."""
    if issubclass(field_class, TextAreaField):
        return _multiline
    if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
        return clean_text
    return None


class BaseForm(FlaskForm):
    """Every form of the platform: Flask-WTF's (CSRF, file uploads), with WTForms' messages from
    :data:`WTFORMS_MESSAGES`."""

    class Meta:
        def get_translations(self, form):
            if current_app.config.get("WTF_I18N_ENABLED", True):
                return WTFORMS_MESSAGES
            return super().get_translations(form)

        def bind_field(self, form, unbound_field, options):
            """Every text field drops control characters first (the API schemas' rule)."""
            cleaner = text_cleaner(unbound_field.field_class)
            if cleaner is not None:
                options = {**options, "filters": [cleaner, *unbound_field.kwargs.get("filters", ())]}
            return super().bind_field(form, unbound_field, options)


WTFORMS_INVALID_CHOICE = "Not a valid choice."  # WTForms' own message, translated by WTForms' catalogue


class CodeSelect(Select):
    """WTForms' select widget with the options written in one pass (:func:`option_tags`)."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", None)
        present = dir(flags) if flags is not None else ()
        for name in self.validation_attrs:
            if name in present and name not in kwargs:
                kwargs[name] = getattr(flags, name)
        current = field.data if isinstance(field.data, str) else None
        return Markup(
            f"<select {html_params(name=field.name, **kwargs)}>{option_tags(field, current)}</select>"
        )


class CodeField(SelectField):
    """A select over a fixed vocabulary of (code, label) pairs: the submitted code is checked with one
    set lookup (WTForms builds a choice object per option to compare, on every validation) and the
    options are written by :class:`CodeSelect`."""

    widget = CodeSelect()

    def __init__(self, *args, blank_is_valid: bool = False, **kwargs):
        """``blank_is_valid``: a filter whose blank choice means "any". Its value is then "" (not None)
        when the field was not sent at all (a first visit, ``form.validate()`` with no arguments), so
        an empty filter is never reported as an invalid choice."""
        if blank_is_valid:
            kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)
        self.blank_is_valid = blank_is_valid

    def pre_validate(self, form):
        if self.process_errors or not self.validate_choice:
            return
        if self.blank_is_valid and self.data in ("", None):
            return
        if self.data not in {code for code, _label in self.choices}:
            raise ValidationError(self.invalid_choice_message or self.gettext(WTFORMS_INVALID_CHOICE))


def required():
    return DataRequired(message=_l("필수 항목입니다."))


def length(max_len: int, min_len: int = 0):
    return Length(min=min_len, max=max_len, message=_l("%(max)d자 이하로 입력해 주세요.", max=max_len))


def dong_field(label=None, *, allow_blank=False, blank_label=None, placeholder=None):
    """A select of the dongs. ``allow_blank``: a blank choice meaning "any" (filters);
    ``placeholder``: a blank first choice that asks people to choose (still required)."""
    choices = [(d, d) for d in DONGS]
    if allow_blank or placeholder:
        choices = [("", blank_label or placeholder or _l("전체"))] + choices
    validators = [] if allow_blank else [required()]
    return CodeField(
        label or _l("행정동"), choices=choices, validators=validators, blank_is_valid=allow_blank
    )


def choice_field(label, mapping: dict, *, allow_blank=False, blank_label=None):
    choices = [(code, text) for code, text in mapping.items()]
    if allow_blank:
        choices = [("", blank_label or _l("전체"))] + choices
    return CodeField(
        label, choices=choices, validators=[] if allow_blank else [required()], blank_is_valid=allow_blank
    )


def localise_choices(form, *names: str) -> None:
    """Give the named select fields their choices as plain strings, translated once per locale for
    the process (the labels are fixed vocabularies; a search page has some seventy options, and
    lazy strings were translated again on every validation and rendering)."""
    locale = locale_code()
    for name in names:
        field = getattr(form, name)
        key = (type(form), name, locale)
        choices = _CHOICES.get(key)
        if choices is None:
            choices = _CHOICES[key] = Choices((code, str(text)) for code, text in field.choices)
            choices.rendered = {}
        field.choices = choices


def options(field) -> Markup:
    """The search filters' ``<option>`` elements: an empty field selects the blank choice."""
    return option_tags(field, field.data if isinstance(field.data, str) else "")


def option_tags(field, current: str | None) -> Markup:
    """A select field's ``<option>`` elements with ``current`` selected (None: none), as WTForms'
    widget writes them, built in one pass; kept per selected code for choices from
    :func:`localise_choices` (only codes of the vocabulary are kept)."""
    rendered = getattr(field.choices, "rendered", None)
    markup = rendered.get(current) if rendered is not None else None
    if markup is None:
        markup = Markup(
            "".join(
                f'<option{" selected" if value == current else ""} value="{escape(value)}">'
                f"{escape(text or value)}</option>"
                for value, text in field.choices
            )
        )
        if rendered is not None and (current in ("", None) or any(current == v for v, _t in field.choices)):
            rendered[current] = markup
    return markup


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


RATE_ERRORS = {
    "format": _l("숫자로 입력해 주세요 (예: 5 또는 2.5)."),
    "decimals": _l("소수점 아래 둘째 자리까지만 입력할 수 있습니다 (예: 2.25)."),
    "range": _l("%(low)s%%에서 %(high)s%% 사이로 입력해 주세요."),
}


class PercentField(Field):
    """A card rate typed in percent (``5``, ``2.5``) whose ``data`` is basis points (500, 250): the
    conversion is :mod:`sharing.core.rates`'; a bad entry gets a Korean error at the field."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, max_bp: int = rates.RATE_MAX_BP, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off", **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.max_bp = max_bp
        self.raw = None

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.raw = valuelist[0]
        if not (self.raw or "").strip():
            self.data = None
            raise ValueError(str(_l("필수 항목입니다.")))
        try:
            self.data = rates.to_bp(self.raw, max_bp=self.max_bp)
        except rates.RateError as err:
            self.data = None
            message = RATE_ERRORS[err.reason]
            if err.reason == "range":
                raise ValueError(str(message) % {"low": 0, "high": rates.percent(self.max_bp)}) from None
            raise ValueError(str(message)) from None

    def _value(self):
        if self.raw is not None and self.data is None:
            return self.raw  # what was typed, beside its error
        return rates.percent(self.data) if self.data is not None else ""

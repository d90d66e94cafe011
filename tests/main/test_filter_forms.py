"""Filter forms with a blank "any" choice: a first visit (nothing sent) is valid, never "not a valid
choice"; a code outside the vocabulary is still refused."""

import pytest
from werkzeug.datastructures import MultiDict

from sharing.admin.forms import OrganizationFilterForm, ReportFilterForm, UserFilterForm
from sharing.card.forms import HistoryFilterForm
from sharing.news.forms import FilterForm as NewsFilterForm
from sharing.web.forms import BaseForm, choice_field, dong_field

LABELS = {"a": "가", "b": "나"}


class _Form(BaseForm):
    class Meta:
        csrf = False

    kind = choice_field("유형", LABELS, allow_blank=True)
    dong = dong_field(allow_blank=True)
    required_kind = choice_field("필수 유형", LABELS)


@pytest.mark.parametrize("formdata", [None, MultiDict(), MultiDict({"kind": "", "dong": ""})])
def test_a_blank_filter_is_valid_whatever_was_sent(app, formdata):
    with app.test_request_context("/"):
        form = _Form(formdata) if formdata is not None else _Form()
        form.validate()
        assert form.kind.errors == [] and form.dong.errors == []
        assert form.kind.data == "" and form.dong.data == ""
        assert form.required_kind.errors  # a required choice still asks to be chosen


def test_a_code_outside_the_vocabulary_is_still_refused(app):
    with app.test_request_context("/"):
        form = _Form(MultiDict({"kind": "zzz", "dong": "없는동", "required_kind": "a"}))
        assert not form.validate()
        assert form.kind.errors and form.dong.errors and not form.required_kind.errors


@pytest.mark.parametrize(
    "form_class",
    [HistoryFilterForm, NewsFilterForm, OrganizationFilterForm, ReportFilterForm, UserFilterForm],
)
@pytest.mark.parametrize("path", ["/", "/?lang=en"])
def test_the_filter_forms_validate_with_no_arguments(app, form_class, path):
    with app.test_request_context(path):
        for form in (form_class(), form_class(MultiDict())):
            if hasattr(form, "organization_id"):
                form.organization_id.choices = [("", "전체")]
            form.validate()
            assert form.errors == {}, form_class.__name__

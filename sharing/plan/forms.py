"""Forms of the plan pages: a result against a project's targets, a year's scorecard."""

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from ..web.forms import BaseForm, length, required


class ResultForm(BaseForm):
    year = SelectField(_l("연도"), coerce=int, validators=[required()])
    indicator = StringField(
        _l("지표"), validators=[required(), length(200)], render_kw={"list": "plan-indicators"}
    )
    actual = DecimalField(_l("실적"), places=None, validators=[InputRequired(message=_l("필수 항목입니다."))])
    note = TextAreaField(_l("메모"), validators=[Optional(), length(2000)])
    evidence_url = StringField(_l("근거 링크"), validators=[Optional(), length(500)])

    def __init__(self, years, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.year.choices = [(y, str(y)) for y in years]


class YearForm(BaseForm):
    """Only the CSRF token; the score inputs are named ``score-<key>`` and read by the view."""

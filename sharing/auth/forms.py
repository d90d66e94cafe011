"""Sign-up, sign-in and profile forms."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import EqualTo, Length

from ..forms import BaseForm, dong_field, length, required


class RegisterForm(BaseForm):
    # The address's form is checked once, by the service (auth.services.valid_email).
    email = EmailField(_l("이메일"), validators=[required(), length(254)])
    password = PasswordField(
        _l("비밀번호"),
        validators=[
            required(),
            Length(min=8, max=128, message=_l("비밀번호는 8자 이상 128자 이하여야 합니다.")),
        ],
    )
    password2 = PasswordField(
        _l("비밀번호 확인"),
        validators=[required(), EqualTo("password", message=_l("비밀번호가 서로 다릅니다."))],
    )
    name = StringField(_l("이름(표시 이름)"), validators=[required(), length(50)])
    dong = dong_field(_l("사는 동"))


class LoginForm(BaseForm):
    email = EmailField(_l("이메일"), validators=[required(), length(254)])
    password = PasswordField(_l("비밀번호"), validators=[required(), length(128)])


class ProfileForm(BaseForm):
    name = StringField(_l("이름(표시 이름)"), validators=[required(), length(50)])
    dong = dong_field(_l("사는 동"))

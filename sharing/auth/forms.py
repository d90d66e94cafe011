"""Sign-up, sign-in and profile forms."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import EqualTo, Length

from ..web.forms import BaseForm, dong_field, length, required


def _new_password_field(label):
    return PasswordField(
        label,
        validators=[
            required(),
            Length(min=8, max=128, message=_l("비밀번호는 8자 이상 128자 이하여야 합니다.")),
        ],
    )


class RegisterForm(BaseForm):
    # The address's form is checked once, by the service (auth.services.valid_email).
    email = EmailField(_l("이메일"), validators=[required(), length(254)])
    password = _new_password_field(_l("비밀번호"))
    password2 = PasswordField(
        _l("비밀번호 확인"),
        validators=[required(), EqualTo("password", message=_l("비밀번호가 서로 다릅니다."))],
    )
    name = StringField(_l("이름(표시 이름)"), validators=[required(), length(50)])
    dong = dong_field(_l("사는 동"), placeholder=_l("사는 동을 고르세요"))
    # Checked by the service (both required), so the web and the API refuse alike.
    privacy_consent = BooleanField(_l("개인정보 수집·이용에 동의합니다. (필수)"))
    terms_consent = BooleanField(_l("이용약관에 동의합니다. (필수)"))


class LoginForm(BaseForm):
    email = EmailField(_l("이메일"), validators=[required(), length(254)])
    password = PasswordField(_l("비밀번호"), validators=[required(), length(128)])


class ProfileForm(BaseForm):
    name = StringField(_l("이름(표시 이름)"), validators=[required(), length(50)])
    dong = dong_field(_l("사는 동"))


class ResetForm(BaseForm):
    """A new password, typed twice (reset by e-mail; the change form adds the current one)."""

    password = _new_password_field(_l("새 비밀번호"))
    password2 = PasswordField(
        _l("새 비밀번호 확인"),
        validators=[required(), EqualTo("password", message=_l("비밀번호가 서로 다릅니다."))],
    )


class PasswordChangeForm(ResetForm):
    current_password = PasswordField(_l("현재 비밀번호"), validators=[required(), length(128)])


class ResetRequestForm(BaseForm):
    email = EmailField(_l("이메일"), validators=[required(), length(254)])


class ConfirmPasswordForm(BaseForm):
    """A destructive action asks for the password again (account deletion)."""

    password = PasswordField(_l("비밀번호"), validators=[required(), length(128)])

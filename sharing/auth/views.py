"""Sign-up, sign-in, sign-out, the profile page, passwords and e-mail confirmation."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..core.errors import DomainError
from ..web.forms import apply_errors
from ..web.urls import safe_next
from . import limits, privacy, recovery, services, verification
from .forms import (
    ConfirmPasswordForm,
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    RegisterForm,
    ResetForm,
    ResetRequestForm,
)

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _registration(form: RegisterForm) -> services.Registration:
    return services.Registration(
        form.email.data or "",
        form.password.data or "",
        form.name.data or "",
        form.dong.data or "",
        privacy_consent=bool(form.privacy_consent.data),
        terms_consent=bool(form.terms_consent.data),
    )


def _add_service_problems(form: RegisterForm) -> None:
    """The form found some problems; the service's checks find the rest, so every field's error
    shows in one answer (a field the form already refused keeps the form's message alone)."""
    for name, messages in services.registration_problems(_registration(form)).items():
        field = getattr(form, name, None)
        if field is not None and not field.errors:
            field.errors = [str(m) for m in messages]


@bp.route("/register", methods=["GET", "POST"])
@limits.registration
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register(_registration(form), welcome=True)
        except DomainError as err:
            apply_errors(form, err)
            if not err.fields:
                form.email.errors = list(form.email.errors) + [err.message]
            return render_template("auth/register.html", form=form), err.status
        else:
            login_user(user)
            flash(_("가입을 환영합니다, %(name)s 님.", name=user.name), "success")
            if verification.required():
                flash(_("이메일로 보낸 확인 링크를 열면 결제와 글쓰기를 할 수 있습니다."), "info")
            return redirect(safe_next(request.args.get("next"), url_for("main.home")))
    if form.errors:
        _add_service_problems(form)
    return render_template("auth/register.html", form=form), 422 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limits.sign_in_by_address
@limits.sign_in_by_account
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except DomainError as err:
            form.password.errors = list(form.password.errors) + [err.message]
            return render_template("auth/login.html", form=form), err.status
        else:
            login_user(user)
            return redirect(safe_next(request.args.get("next"), url_for("main.home")))
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    if request.method == "GET":
        return render_template("auth/logout.html")
    if current_user.is_authenticated:
        services.sign_out(current_user)  # a copy of this cookie stops working too
    logout_user()
    flash(_("로그아웃했습니다."), "success")
    return redirect(url_for("main.home"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    services.sign_out_everywhere(current_user)
    logout_user()
    flash(_("모든 기기에서 로그아웃했습니다. API 토큰도 모두 폐기했습니다."), "success")
    return redirect(url_for("main.home"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        try:
            services.update_profile(current_user, name=form.name.data, dong=form.dong.data)
        except DomainError as err:
            apply_errors(form, err)
        else:
            flash(_("저장했습니다."), "success")
            return redirect(url_for("auth.profile"))
    return render_template(
        "auth/profile.html", form=form, verification_required=verification.required()
    ), 422 if form.errors else 200


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            user = recovery.change_password(
                current_user._get_current_object(), form.current_password.data, form.password.data
            )
        except DomainError as err:
            apply_errors(form, err)
        else:
            login_user(user)  # this browser stays signed in, with the new session generation
            flash(_("비밀번호를 바꿨습니다. 다른 기기에서는 다시 로그인해야 합니다."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/password.html", form=form), 422 if form.errors else 200


@bp.route("/reset", methods=["GET", "POST"])
@limits.sign_in_by_address
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        recovery.request_reset(form.email.data)
        # The same answer whether the address has an account or not.
        flash(_("가입된 주소라면 비밀번호 재설정 링크를 보냈습니다. 메일함을 확인해 주세요."), "info")
        return redirect(url_for("auth.request_reset"))
    return render_template("auth/reset_request.html", form=form), 422 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        recovery.user_for_reset(token)
    except DomainError as err:
        return render_template("auth/link_invalid.html", message=err.message), err.status
    form = ResetForm()
    if form.validate_on_submit():
        try:
            recovery.reset_password(token, form.password.data)
        except DomainError as err:
            apply_errors(form, err)
        else:
            flash(_("새 비밀번호로 로그인해 주세요."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 422 if form.errors else 200


@bp.get("/verify/<token>")
def verify_email(token: str):
    try:
        verification.verify(token)
    except DomainError as err:
        return render_template("auth/link_invalid.html", message=err.message), err.status
    flash(_("이메일 주소를 확인했습니다."), "success")
    return redirect(url_for("main.home"))


@bp.post("/verify/resend")
@login_required
def resend_verification():
    if not verification.required():
        abort(404)
    verification.resend(current_user)
    flash(_("확인 메일을 다시 보냈습니다."), "info")
    return redirect(url_for("auth.profile"))


@bp.get("/export.json")
@login_required
def export():
    """내 데이터 내려받기: the same JSON as ``GET /api/v1/me/export``."""
    response = jsonify(privacy.export(current_user))
    response.headers["Content-Disposition"] = f'attachment; filename="sharing-user-{current_user.id}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = ConfirmPasswordForm()
    user = current_user._get_current_object()
    blockers = privacy.deletion_blockers(user)
    if form.validate_on_submit():
        try:
            privacy.delete_account(user, form.password.data)
        except DomainError as err:
            apply_errors(form, err)
            if not err.fields:
                form.password.errors = list(form.password.errors) + [err.message]
            return render_template("auth/delete.html", form=form, blockers=blockers), err.status
        logout_user()
        flash(_("탈퇴했습니다. 그동안 이용해 주셔서 고맙습니다."), "success")
        return redirect(url_for("main.home"))
    return render_template("auth/delete.html", form=form, blockers=blockers), 422 if form.errors else 200

"""Sign-up, sign-in, sign-out and the profile page."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import DomainError
from ..extensions import limiter
from ..forms import apply_errors
from ..urls import safe_next
from . import services
from .forms import LoginForm, ProfileForm, RegisterForm

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _auth_limit():
    from flask import current_app

    return current_app.config["AUTH_RATE_LIMIT"]


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register(
                services.Registration(form.email.data, form.password.data, form.name.data, form.dong.data)
            )
        except DomainError as err:
            apply_errors(form, err)
            if not err.fields:
                form.email.errors = list(form.email.errors) + [err.message]
            return render_template("auth/register.html", form=form), err.status
        else:
            login_user(user)
            flash(_("가입을 환영합니다, %(name)s 님.", name=user.name), "success")
            return redirect(safe_next(request.args.get("next"), url_for("main.home")))
    return render_template("auth/register.html", form=form), 422 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
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
    logout_user()
    flash(_("로그아웃했습니다."), "success")
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
    return render_template("auth/profile.html", form=form), 422 if form.errors else 200

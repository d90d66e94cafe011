"""Passwords: how strong a new one must be (zxcvbn), hashing, change and reset by e-mail.

zxcvbn answers in English; its warnings are mapped here to our own Korean messages (through the
catalogue), so a resident reads why a password was refused in the page's language.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from ..core.errors import Invalid

PASSWORD_MIN = 8
PASSWORD_MAX = 128
# zxcvbn's score: 0 (too guessable) .. 4 (very unguessable). 3 = "safely unguessable"
# (about 10^8 guesses or more): the minimum for every account, demo and centre included.
PASSWORD_MIN_SCORE = 3

_WARNINGS = {
    "Straight rows of keys are easy to guess.": _l("키보드에서 나란히 있는 글자는 쉽게 추측됩니다."),
    "Short keyboard patterns are easy to guess.": _l("짧은 키보드 패턴은 쉽게 추측됩니다."),
    'Repeats like "aaa" are easy to guess.': _l("같은 글자를 되풀이하면 쉽게 추측됩니다."),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': _l(
        "같은 묶음을 되풀이해도 더 안전해지지 않습니다."
    ),
    'Sequences like "abc" or "6543" are easy to guess.': _l("abc, 6543 같은 연속된 글자는 쉽게 추측됩니다."),
    "Recent years are easy to guess.": _l("최근 연도는 쉽게 추측됩니다."),
    "Dates are often easy to guess.": _l("날짜는 쉽게 추측됩니다."),
    "This is a top-10 common password.": _l("가장 흔히 쓰이는 비밀번호 중 하나입니다."),
    "This is a top-100 common password.": _l("아주 흔히 쓰이는 비밀번호입니다."),
    "This is a very common password.": _l("흔히 쓰이는 비밀번호입니다."),
    "This is similar to a commonly used password.": _l("흔히 쓰이는 비밀번호와 비슷합니다."),
    "A word by itself is easy to guess.": _l("단어 하나만으로는 쉽게 추측됩니다."),
    "Names and surnames by themselves are easy to guess.": _l("이름이나 성만으로는 쉽게 추측됩니다."),
    "Common names and surnames are easy to guess.": _l("흔한 이름과 성은 쉽게 추측됩니다."),
}


def password_problems(password: str, *, hints: tuple[str, ...] = ()) -> list[str]:
    """Why ``password`` may not be used (Korean messages), or [] when it is long and strong enough.
    ``hints`` are the account's own words (e-mail, name): a password made of them is weak."""
    password = password or ""
    if not (PASSWORD_MIN <= len(password) <= PASSWORD_MAX):
        return [_("비밀번호는 8자 이상 128자 이하여야 합니다.")]
    result = zxcvbn(password, user_inputs=[h for h in hints if h], max_length=PASSWORD_MAX)
    if result["score"] >= PASSWORD_MIN_SCORE:
        return []
    problems = [_("추측하기 쉬운 비밀번호입니다. 흔하지 않은 낱말 서너 개를 이어 길게 만들어 주세요.")]
    warning = _WARNINGS.get(result["feedback"]["warning"])
    if warning is not None:
        problems.append(str(warning))
    return problems


def check_new_password(password: str, *, hints: tuple[str, ...] = ()) -> None:
    problems = password_problems(password, hints=hints)
    if problems:
        raise Invalid(fields={"password": problems})


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def password_matches(user, password: str) -> bool:
    return bool(user.password_hash) and check_password_hash(user.password_hash, password or "")


# --- Signed, expiring, single-use links (password reset, e-mail verification) ----------------------


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"sharing.auth.{purpose}")


def sign(purpose: str, payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


def unsign(purpose: str, token: str, max_age: int) -> dict | None:
    """The payload of a link made by ``sign``, or None when it is forged, altered or expired."""
    try:
        payload = _serializer(purpose).loads(token or "", max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    return payload if isinstance(payload, dict) else None


def hash_fingerprint(password_hash: str) -> str:
    """A short digest of the current password hash: a reset link carries it, so the link stops
    working as soon as the password changes (single use) without storing anything."""
    import hashlib

    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]

"""sharing.core.i18n keeps the request's translations for the templates' _(): it must still follow every
change of locale Flask-Babel knows of."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale, refresh

from sharing.core import i18n


def test_template_gettext_follows_force_locale_and_refresh(app):
    page = "{{ _('공유장터') }}"
    with app.test_request_context("/"):
        assert render_template_string(page) == "공유장터"
        assert i18n.locale_code() == "ko"
        with force_locale("en"):
            assert i18n.locale_code() == "en"
            assert render_template_string(page) != "공유장터"
        assert render_template_string(page) == "공유장터"
        from flask import session

        session["lang"] = "en"
        assert i18n.locale_code() == "ko"  # kept for the request ...
        refresh()  # ... until Flask-Babel is told to choose again
        assert i18n.locale_code() == "en"
        assert render_template_string(page) == "Sharing Market"


def test_pages_follow_the_chosen_language(client):
    assert "<h1>공유장터</h1>" in client.get("/market").get_data(as_text=True)
    client.get("/lang/en")
    html = client.get("/market").get_data(as_text=True)
    assert "<h1>Sharing Market</h1>" in html and 'lang="en"' in html


def test_outside_a_request(app):
    with app.app_context():
        assert i18n.locale_code() == "ko"  # the CLI speaks Korean
        assert i18n.translations().ugettext("공유장터") == "공유장터"

"""Addresses and markup that hot pages write out instead of asking url_for or a WTForms widget: each
must stay what the slow way gives."""

from __future__ import annotations

from flask import url_for
from markupsafe import Markup

from sharing.core.media import media_url
from sharing.main.context import SITE_ENDPOINTS, site_links
from sharing.market.common import Labels
from sharing.market.forms import SearchForm
from sharing.web.forms import CodeField, localise_choices, options


def test_written_out_addresses_equal_url_for(app):
    with app.test_request_context("/market"):
        assert media_url("ab12.jpg") == url_for("main.media", key="ab12.jpg")
        assert Labels.url(42) == url_for("market.show", listing_id=42)
        links = site_links()
        present = [e for e in SITE_ENDPOINTS if e in app.view_functions]
        assert len(present) >= 8
        for endpoint in present:
            assert links[endpoint] == url_for(endpoint), endpoint
        assert links["css"] == url_for("static", filename="css/app.css")
        assert links["js"] == url_for("static", filename="js/app.js")


def test_options_mark_the_choice_and_keep_only_real_codes(app):
    with app.test_request_context("/market?dong=석관동&kind=nonsense"):
        from flask import request

        form = SearchForm(request.args)
        localise_choices(form, "kind", "dong")
        html = options(form.dong)
        assert isinstance(html, Markup)
        assert '<option selected value="석관동">석관동</option>' in html
        assert html.count(" selected") == 1
        assert "석관동" in form.dong.choices.rendered
        assert options(form.dong) is html  # the second page view reuses it
        assert " selected" not in options(form.kind)  # an unknown code selects nothing ...
        assert "nonsense" not in form.kind.choices.rendered  # ... and is not kept
        assert form.kind.choices[0] == ("", "전체")  # plain strings, translated


def test_code_field_checks_the_vocabulary(app):
    from wtforms import Form

    class F(Form):
        colour = CodeField("colour", choices=[("red", "빨강"), ("blue", "파랑")])

    from werkzeug.datastructures import MultiDict

    good = F(MultiDict({"colour": "blue"}))
    assert good.validate() and good.colour.data == "blue"
    bad = F(MultiDict({"colour": "green"}))
    assert not bad.validate() and bad.colour.errors
    assert not F(MultiDict()).validate()  # nothing chosen is not a choice either


def test_wtforms_messages_follow_the_request_locale(client):
    """WTForms' own messages come from its catalogue, read once per locale (not once per request)."""
    from sharing.web.forms import WTFORMS_MESSAGES

    html = client.get("/market?kind=zzz&available_from=어제").get_data(as_text=True)
    assert "올바르지 않은 선택값입니다." in html and "올바르지 않은 날짜 값입니다." in html
    client.get("/lang/en")
    html = client.get("/market?kind=zzz").get_data(as_text=True)
    assert "Not a valid choice." in html and "올바르지 않은" not in html
    assert {"ko", "en"} <= set(WTFORMS_MESSAGES._by_locale)


def test_localised_choices_are_kept_per_form_class(client):
    """The archive's and the market's search forms share class and field names (SearchForm.kind):
    each keeps its own vocabulary whichever page is drawn first."""
    archive = client.get("/archive").get_data(as_text=True)
    market = client.get("/market").get_data(as_text=True)
    assert '<option value="rent">유료 대여</option>' in market
    assert 'value="rent"' not in archive
    assert client.get("/archive").get_data(as_text=True) == archive

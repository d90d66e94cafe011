"""Reading the archive: the search page with its facets, and the classification counts."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from ...core.vocab import DONGS, RESOURCE_CATEGORIES, ZONES
from ...web.forms import localise_choices
from ...web.helpers import page_arg
from ..forms import KindFilterForm, SearchForm
from ..services import queries
from ..vocab import RESOURCE_KINDS, ZONE_CODES, dongs_by_zone, zone_label
from .results import Links, cards, facet_groups

PER_PAGE = 20
DRAWER_FILTERS = ("kind", "category", "zone", "dong", "tag")  # the filters in the drawer (the words are not)


def index():
    form = SearchForm(request.args)
    localise_choices(form, "kind", "category", "zone", "dong")
    form.q.render_kw = {"placeholder": _("예: 공구, 돌봄, 집수리")}
    filters = queries.Filters.from_mapping(request.args)
    page = page_arg()
    facets = queries.facets(filters)
    rows, total = queries.page(filters, page, PER_PAGE), facets["total"]
    args = filters.as_args()
    links = Links(args)
    return render_template(
        "archive/index.html",
        form=form,
        filters=filters,
        active=sum(1 for name in DRAWER_FILTERS if name in args),
        args=args,
        cards=cards(rows, links),
        total=total,
        page=page,
        per_page=PER_PAGE,
        facet_groups=facet_groups(facets, args, links, facet_titles()),
    )


def facet_titles() -> dict:
    return {
        "kind": _("유형"),
        "category": _("분야"),
        "zone": _("권역"),
        "dong": _("행정동"),
        "tag": _("태그"),
    }


def classification():
    form = KindFilterForm(request.args)
    kind = request.args.get("kind") if request.args.get("kind") in RESOURCE_KINDS else None
    counts = queries.classification(kind)
    category_max = max(counts["by_category"].values(), default=0)
    zone_max = max(counts["by_zone"].values(), default=0)
    return render_template(
        "archive/classification.html",
        form=form,
        kind=kind,
        counts=counts,
        categories=RESOURCE_CATEGORIES,
        dongs=DONGS,
        zones=ZONES,
        zone_groups=dongs_by_zone(),
        zone_codes=ZONE_CODES,
        zone_label=zone_label,
        heat=queries.heat_level,
        category_max=category_max,
        zone_max=zone_max,
    )


def register(bp: Blueprint) -> None:
    bp.get("")(index)
    bp.get("/classification")(classification)

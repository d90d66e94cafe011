"""Reading the archive: the search page with its facets, and the classification counts."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ...core.vocab import DONGS, RESOURCE_CATEGORIES, ZONES
from ...web.forms import localise_choices
from ...web.helpers import page_arg
from ..forms import KindFilterForm, SearchForm
from ..services import queries
from ..vocab import RESOURCE_KINDS, ZONE_CODES, dongs_by_zone, zone_label
from ..widgets import facet_links, resource_card  # noqa: F401

PER_PAGE = 20


def index():
    form = SearchForm(request.args)
    localise_choices(form, "kind", "category", "zone", "dong")
    filters = queries.Filters.from_mapping(request.args)
    page = page_arg()
    facets = queries.facets(filters)
    rows, total = queries.page(filters, page, PER_PAGE), facets["total"]
    return render_template(
        "archive/index.html",
        form=form,
        filters=filters,
        args=filters.as_args(),
        resources=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
        facets=facets,
        facet_link=facet_links(filters.as_args()),
    )


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

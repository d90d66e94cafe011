"""The plan's services: what its pages, its API, its CLI and the rest of the platform call.

Topic modules: :mod:`.access` (the plan, a project, the centre-only rule), :mod:`.overview` (the
whole plan, one project), :mod:`.budget` and :mod:`.checks` (totals and discrepancies),
:mod:`.results` (results and achievement rates), :mod:`.evaluation` (scorecards),
:mod:`.metrics` (project 3-1's live indicators, from the features' services) and :mod:`.exports`
(the CSV files). Each imports only the ones below it; this module names the surface.
"""

from . import budget, checks, evaluation, exports, metrics, results
from .access import PLAN_CODE, PLATFORM_PROJECT, current_plan, get_project, plan_for
from .overview import all_discrepancies, overview, project_detail

__all__ = [
    "PLAN_CODE",
    "PLATFORM_PROJECT",
    "all_discrepancies",
    "budget",
    "checks",
    "current_plan",
    "evaluation",
    "exports",
    "get_project",
    "metrics",
    "overview",
    "plan_for",
    "project_detail",
    "results",
]

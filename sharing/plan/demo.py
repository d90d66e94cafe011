"""Demo data for the plan: the plan itself (idempotent); ``scale`` does not apply."""

from .loader import load_plan


def seed(scale: int, echo) -> None:
    load_plan(echo=echo)

"""Importing a feature's optional module (its views, CLI group or demo data) when it has one."""

import importlib
from types import ModuleType


def optional_import(name: str) -> ModuleType | None:
    """The module ``name``, or None when it (or its package) does not exist. Other errors propagate."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name and (name == err.name or name.startswith(err.name + ".")):
            return None
        raise

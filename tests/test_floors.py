"""The floors of ``sharing/``: imports go one way, with no circles and no wiring by name in a string.

The checker reads every module's imports with ``ast`` (function-local imports included: a lazy import
is still a dependency) and reports:

- a module importing one on a higher floor;
- a feature importing another feature's module other than its ``services`` (a module or a package),
  or through an edge not listed in ``FEATURE_EDGES``; a models import only where ``MODEL_IMPORTS``
  lists it with its reason;
- two or more modules importing each other in a circle (of any length);
- any use of ``optional_import`` (a feature that may silently be missing).

The floors, bottom to top (see the README's "Architecture"): core < web < records < accounts (auth,
orgs, notify) < features (archive, market, news, card, plan, ops) < admin, main < the package root
(``create_app``) and ``sharing/cli.py``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "sharing"

FLOORS = {
    "core": 0,
    "web": 1,
    "records": 2,
    "auth": 3,
    "orgs": 3,
    "notify": 3,
    "archive": 4,
    "market": 4,
    "news": 4,
    "card": 4,
    "plan": 4,
    "ops": 4,
    "admin": 5,
    "main": 5,
}
TOP = 6  # sharing/__init__.py (create_app) and sharing/cli.py: they wire everything together
FEATURE_FLOOR = 4

# A feature may call another feature's services only along these edges (importer -> imported).
FEATURE_EDGES = {
    # The plan's figures are counted from every feature's activity.
    **{("plan", other): "the plan's metrics and evaluation read every feature" for other in FLOORS},
    # A loan may be paid with the local card.
    ("market", "card"): "a loan paid with the card: the market asks the card for the payment",
}

# (importing module, imported models module) -> why a service function will not do. Empty: none left.
MODEL_IMPORTS: dict[tuple[str, str], str] = {}


@dataclass
class Tree:
    """The modules of a package and the imports each one makes (line numbers for the messages)."""

    modules: dict[str, Path] = field(default_factory=dict)
    imports: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    optional_calls: dict[str, list[int]] = field(default_factory=dict)


def _module_name(path: Path, base: Path) -> str:
    parts = list(path.relative_to(base).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    """The absolute name of ``from <level dots><name> import ...`` written in ``module``."""
    if level == 0:
        return name or ""
    parts = module.split(".")
    if not is_package:
        parts.pop()
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    return ".".join(parts + ([name] if name else []))


def _bound_names(path: Path) -> set[str] | None:
    """The names a package's ``__init__`` defines at its top level (None: a ``*`` import, any name)."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8"), str(path)).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.Import | ast.ImportFrom):
            if any(alias.name == "*" for alias in node.names):
                return None
            names |= {alias.asname or alias.name.split(".")[0] for alias in node.names}
    return names


def read_tree(base: Path, package: str = PACKAGE) -> Tree:
    """Every module under ``base/package`` and what it imports, inside ``package`` only.

    ``from package import name`` imports the module ``package.name`` when there is one; when the
    package's ``__init__`` does not define ``name`` either, it counts as an import of the missing
    module ``package.name`` (so a typo is reported, not taken for the package).
    """
    tree = Tree()
    for path in sorted((base / package).rglob("*.py")):
        tree.modules[_module_name(path, base)] = path
    bound = {m: _bound_names(p) for m, p in tree.modules.items() if p.name == "__init__.py"}
    for module, path in tree.modules.items():
        is_package = path.name == "__init__.py"
        found: list[tuple[str, int]] = []
        calls: list[int] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                found += [(alias.name, node.lineno) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                source = _resolve(module, is_package, node.level, node.module)
                for alias in node.names:
                    candidate = f"{source}.{alias.name}"
                    names = bound.get(source, set())
                    missing = source in bound and names is not None and alias.name not in names
                    found.append((candidate if candidate in tree.modules or missing else source, node.lineno))
                    if alias.name == "optional_import":
                        calls.append(node.lineno)
            elif isinstance(node, ast.Call):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if called == "optional_import":
                    calls.append(node.lineno)
        tree.imports[module] = [
            (target, line) for target, line in found if target == package or target.startswith(package + ".")
        ]
        if calls:
            tree.optional_calls[module] = sorted(set(calls))
    return tree


def _area(module: str) -> str | None:
    """The top-level package under ``sharing`` (``market`` for ``sharing.market.views``), None for the root."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in FLOORS) else None


def _floor(module: str) -> int:
    area = _area(module)
    return FLOORS.get(area, TOP) if area is not None else TOP


def _is_services(module: str, area: str) -> bool:
    surface = f"{PACKAGE}.{area}.services"
    return module == surface or module.startswith(surface + ".")


def _is_models(module: str) -> bool:
    return module.rsplit(".", 1)[-1].endswith("models")


def layer_violations(tree: Tree) -> list[str]:
    """Imports that go down-up, or sideways between features without leave."""
    problems = []
    for module, imports in sorted(tree.imports.items()):
        source_area = _area(module)
        for target, line in imports:
            target_area = _area(target)
            where = f"{tree.modules[module].as_posix()}:{line}: {module} imports {target}"
            if target not in tree.modules and target != PACKAGE:
                problems.append(f"{where}: no such module")
                continue
            if _floor(target) > _floor(module):
                problems.append(f"{where}: a higher floor")
                continue
            if (
                source_area is None
                or target_area is None
                or source_area == target_area
                or _floor(module) != FEATURE_FLOOR
                or _floor(target) != FEATURE_FLOOR
            ):
                continue
            if _is_models(target) and (module, target) in MODEL_IMPORTS:
                continue
            if not _is_services(target, target_area):
                problems.append(f"{where}: another feature's module other than its services")
            elif (source_area, target_area) not in FEATURE_EDGES:
                problems.append(f"{where}: {source_area} may not call {target_area} (not in FEATURE_EDGES)")
    return problems


def circles(tree: Tree) -> list[list[str]]:
    """Groups of modules that import each other (strongly connected components of two or more), sorted."""
    graph = {
        m: sorted({t for t, _line in tree.imports[m] if t in tree.modules and t != m}) for m in tree.modules
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        # Tarjan's algorithm, iterative: (node, position in its edge list)
        work = [(start, 0)]
        while work:
            node, pos = work.pop()
            if pos == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            edges = graph[node]
            if pos < len(edges):
                work.append((node, pos + 1))
                nxt = edges[pos]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return sorted(found)


def optional_imports(tree: Tree) -> list[str]:
    return [
        f"{tree.modules[module].as_posix()}:{line}: {module} uses optional_import"
        for module, lines in sorted(tree.optional_calls.items())
        for line in lines
    ]


def all_violations(tree: Tree) -> list[str]:
    return (
        layer_violations(tree)
        + [f"import circle: {' <-> '.join(group)}" for group in circles(tree)]
        + optional_imports(tree)
    )


# --- the real tree ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_tree() -> Tree:
    return read_tree(ROOT)


def test_every_floor_imports_only_the_floors_below(real_tree):
    problems = layer_violations(real_tree)
    assert not problems, "\n".join(problems)


def test_no_import_circles(real_tree):
    groups = circles(real_tree)
    assert not groups, "\n".join(" <-> ".join(g) for g in groups)


def test_wiring_is_explicit(real_tree):
    problems = optional_imports(real_tree)
    assert not problems, "\n".join(problems)
    assert f"{PACKAGE}.optional" not in real_tree.modules, "sharing/optional.py is gone: import directly"


def test_every_area_has_a_floor(real_tree):
    areas = {m.split(".")[1] for m in real_tree.modules if m.count(".") >= 1}
    loose = {"cli", "optional"}  # modules at the root: the top of the house
    assert areas - set(FLOORS) - loose == set()


# --- the checker itself, on a tiny tree --------------------------------------------------------------


def _write(base: Path, files: dict[str, str]) -> Tree:
    for name, text in files.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder in {p.parent for p in base.rglob("*.py")}:
        (folder / "__init__.py").touch()
    return read_tree(base)


def test_the_checker_accepts_a_clean_tree(tmp_path):
    tree = _write(
        tmp_path,
        {
            "sharing/__init__.py": "from .market import views\nfrom .card import services\n",
            "sharing/core/db.py": "import os\n",
            "sharing/web/api.py": "from ..core import db\n",
            "sharing/auth/services.py": "from ..web.api import x\nfrom ..records.log import y\n",
            "sharing/records/log.py": "from ..core.db import z\n",
            "sharing/card/services/__init__.py": "from .topups import topup\n",
            "sharing/card/services/topups.py": "from ...core.db import z\n",
            "sharing/market/views/__init__.py": "from . import loans\nfrom ..models import Listing\n",
            "sharing/market/views/loans.py": "def f():\n    from ...card.services import topup\n",
            "sharing/market/models.py": "from ..core import db\n",
            "sharing/market/services.py": "from .models import Listing\n",
            "sharing/plan/metrics.py": "from ..market import services\n",
        },
    )
    assert all_violations(tree) == []


def test_the_checker_finds_a_lower_floor_importing_a_higher_one(tmp_path):
    tree = _write(
        tmp_path,
        {
            "sharing/core/db.py": "def f():\n    from ..web.api import x\n",  # function-local counts
            "sharing/web/api.py": "",
            "sharing/auth/privacy.py": "from ..market.models import Listing\n",
            "sharing/market/models.py": "",
        },
    )
    problems = layer_violations(tree)
    assert len(problems) == 2
    assert problems[0].endswith(
        "privacy.py:1: sharing.auth.privacy imports sharing.market.models: a higher floor"
    )
    assert problems[1].endswith("db.py:2: sharing.core.db imports sharing.web.api: a higher floor")


def test_the_checker_holds_features_to_their_services(tmp_path):
    tree = _write(
        tmp_path,
        {
            "sharing/news/posts.py": "from ..market.models import Listing\nfrom ..market import services\n",
            "sharing/market/services.py": "from ..card.services import pay\nfrom ..card.ledger import post\n",
            "sharing/market/models.py": "",
            "sharing/card/services.py": "",
            "sharing/card/ledger.py": "",
        },
    )
    problems = layer_violations(tree)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "sharing.market.services imports sharing.card.ledger: another feature's module other than its services",
        "sharing.news.posts imports sharing.market.models: another feature's module other than its services",
        "sharing.news.posts imports sharing.market.services: news may not call market (not in FEATURE_EDGES)",
    ]


def test_the_checker_allows_listed_models_imports(tmp_path, monkeypatch):
    monkeypatch.setitem(MODEL_IMPORTS, ("sharing.news.posts", "sharing.market.models"), "a reason")
    tree = _write(
        tmp_path,
        {"sharing/news/posts.py": "from ..market.models import Listing\n", "sharing/market/models.py": ""},
    )
    assert layer_violations(tree) == []


def test_the_checker_finds_circles_of_any_length(tmp_path):
    tree = _write(
        tmp_path,
        {
            "sharing/market/listings.py": "from . import loans\n",
            "sharing/market/loans.py": "def f():\n    from .requests import x\n",
            "sharing/market/requests.py": "from .listings import y\n",
            "sharing/market/views.py": "from . import listings\n",  # into the circle, not part of it
            "sharing/admin/views.py": "from .report_views import a\n",
            "sharing/admin/report_views.py": "from . import views\n",
        },
    )
    assert circles(tree) == [
        ["sharing.admin.report_views", "sharing.admin.views"],
        ["sharing.market.listings", "sharing.market.loans", "sharing.market.requests"],
    ]


def test_the_checker_finds_optional_import(tmp_path):
    tree = _write(
        tmp_path,
        {
            "sharing/optional.py": "def optional_import(name):\n    pass\n",
            "sharing/plan/metrics.py": "from ..optional import optional_import\n\nm = optional_import('x')\n",
            "sharing/main/home.py": "import sharing.optional as o\n\nm = o.optional_import('y')\n",
        },
    )
    assert optional_imports(tree) == [
        f"{tmp_path.as_posix()}/sharing/main/home.py:3: sharing.main.home uses optional_import",
        f"{tmp_path.as_posix()}/sharing/plan/metrics.py:1: sharing.plan.metrics uses optional_import",
        f"{tmp_path.as_posix()}/sharing/plan/metrics.py:3: sharing.plan.metrics uses optional_import",
    ]


def test_the_checker_names_a_missing_module(tmp_path):
    tree = _write(tmp_path, {"sharing/__init__.py": "from .ops import views\n", "sharing/ops/cli.py": ""})
    assert layer_violations(tree) == [
        f"{tmp_path.as_posix()}/sharing/__init__.py:1: sharing imports sharing.ops.views: no such module"
    ]

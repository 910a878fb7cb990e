"""The shape of the house: imports run one way (api → visuals → ecograph) and never in a circle."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).parent.parent
PACKAGES = ("ecograph", "api", "visuals")
LAYER = {"ecograph": 0, "visuals": 1, "api": 2}
"""A module may import modules of its own layer or below, never above."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, package: str) -> set[str]:
    """Every project module ``path`` (a module of ``package``) imports, anywhere in the file (in functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {name for name in found if name.split(".")[0] in PACKAGES}


def project_graph() -> nx.DiGraph:
    modules = {module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for target in imports_of(path, package):
            while target not in modules and "." in target:  # "from a.b import name": the module is a.b
                target = target.rpartition(".")[0]
            if target in modules and target != name:
                graph.add_edge(name, target)
    return graph


def test_imports_never_run_upward() -> None:
    upward = [(source, target) for source, target in project_graph().edges
              if LAYER[target.split(".")[0]] > LAYER[source.split(".")[0]]]
    assert upward == [], "the core imports nothing of api or visuals; visuals imports nothing of api"


def test_no_import_circles() -> None:
    graph = project_graph()
    # A package's __init__ re-exporting its modules is not a circle of behaviour; leave those edges out.
    graph.remove_edges_from([(source, target) for source, target in list(graph.edges)
                             if target.startswith(source + ".")])
    assert list(nx.simple_cycles(graph)) == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The parser finds imports in functions and relative imports (so the tests above can fail)."""
    module = tmp_path / "probe.py"
    module.write_text("def f():\n    from api import graphs\n    import visuals.render\n    from .views import x\n")
    assert imports_of(module, "visuals") == {"api", "api.graphs", "visuals.render", "visuals.views",
                                             "visuals.views.x"}


def test_routers_are_leaves() -> None:
    """A router translates HTTP to service calls: it imports the shared router helpers, never another router."""
    graph = project_graph()
    crossing = [(source, target) for source, target in graph.edges
                if source.startswith("api.routers.") and target.startswith("api.routers.")
                and target != "api.routers.common"]
    assert crossing == []

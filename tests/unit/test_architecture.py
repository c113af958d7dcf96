"""The import graph of ``src/naba`` keeps the layers of docs/ARCHITECTURE.md: no import cycles between packages
or between modules, no stage or base module importing the engine or an edge (CLI, web), and the engine
importing no edge.

Every import counts: module-level, function-level and under ``TYPE_CHECKING`` alike, so a cycle cannot hide
behind a deferred import. The checks run on the real graph and, to show they bite, on small synthetic graphs
and on the real graph with one back-edge added.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"

# Packages above the stages, and which of them each may import. Everything else (stages, backends, base
# modules such as types.py) imports none of them.
UPPER = frozenset({"naba.engine", "naba.cli", "naba.web"})
MAY_IMPORT: Mapping[str, frozenset[str]] = {
    "naba.cli": frozenset({"naba.engine", "naba.web"}),
    "naba.web": frozenset({"naba.engine"}),
    "naba.engine": frozenset(),
}
STAGES = (
    "extract",
    "text",
    "enrich",
    "sections",
    "dedupe",
    "stories",
    "search",
    "store",
    "sources",
    "publishers",
    "batch",
)


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    where: str  # file:line of the import statement

    def __str__(self) -> str:
        return f"{self.source} -> {self.target} ({self.where})"


def module_name(path: Path, root: Path) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def imports_in(
    source: str, module: str, *, is_package: bool, modules: Iterable[str], where: str
) -> list[Edge]:
    """Every ``naba`` import in ``source`` (the text of ``module``), wherever it stands in the file.

    ``from p import x`` is an import of module ``p.x`` when that is a module, else of ``p``.
    """
    known = set(modules)
    base = module.split(".") if is_package else module.split(".")[:-1]
    edges = []
    for node in ast.walk(ast.parse(source)):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base[: len(base) - node.level + 1]
                parent = ".".join(anchor + ([node.module] if node.module else []))
            else:
                parent = node.module or ""
            targets = [
                f"{parent}.{alias.name}" if f"{parent}.{alias.name}" in known else parent
                for alias in node.names
            ]
        for target in targets:
            if (target == "naba" or target.startswith("naba.")) and target != module:
                edges.append(Edge(module, target, f"{where}:{node.lineno}"))
    return edges


def read_graph(root: Path) -> list[Edge]:
    """The module-level import graph of the ``naba`` package under ``root``."""
    files = {module_name(p, root): p for p in sorted((root / "naba").rglob("*.py"))}
    edges = []
    for module, path in files.items():
        edges += imports_in(
            path.read_text(encoding="utf-8"),
            module,
            is_package=path.name == "__init__.py",
            modules=files,
            where=str(path.relative_to(root.parent)),
        )
    return edges


def package_of(module: str) -> str:
    """``naba.x.y`` -> ``naba.x`` (a package, or a top-level module such as ``naba.types``)."""
    return ".".join(module.split(".")[:2])


def package_edges(edges: Iterable[Edge]) -> list[Edge]:
    return [
        Edge(package_of(e.source), package_of(e.target), e.where)
        for e in edges
        if package_of(e.source) != package_of(e.target)
    ]


def cycles(edges: Iterable[Edge]) -> list[list[str]]:
    """The import circles: strongly connected components of more than one unit (Tarjan), sorted."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        graph.setdefault(e.source, set()).add(e.target)
        graph.setdefault(e.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def layer_violations(edges: Iterable[Edge]) -> list[Edge]:
    """Package edges that point up: into engine/cli/web from below, or from one of them to one it may not."""
    bad = []
    for e in package_edges(edges):
        if e.target not in UPPER:
            continue
        if e.target not in MAY_IMPORT.get(e.source, frozenset()):
            bad.append(e)
    return bad


# -- the real graph -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def graph() -> list[Edge]:
    return read_graph(SRC)


def test_the_graph_is_read_from_every_module(graph: list[Edge]) -> None:
    sources = {e.source for e in graph}
    for expected in (
        "naba.engine.naba",
        "naba.cli",
        "naba.web.app",
        "naba.sources.files",
        "naba.store.sqlite",
    ):
        assert expected in sources
    for stage in STAGES:
        assert (SRC / "naba" / stage).is_dir(), stage


def test_no_package_cycles(graph: list[Edge]) -> None:
    assert cycles(package_edges(graph)) == []


def test_no_module_cycles(graph: list[Edge]) -> None:
    assert cycles(graph) == []


def test_imports_point_down(graph: list[Edge]) -> None:
    assert [str(e) for e in layer_violations(graph)] == []


def test_no_stage_imports_engine_cli_or_web(graph: list[Edge]) -> None:
    stages = {f"naba.{s}" for s in STAGES}
    upward = [str(e) for e in package_edges(graph) if e.source in stages and e.target in UPPER]
    assert upward == []


def test_the_engine_imports_no_edge(graph: list[Edge]) -> None:
    edges = package_edges(graph)
    assert [str(e) for e in edges if e.source == "naba.engine" and e.target in {"naba.cli", "naba.web"}] == []


# -- the checks bite -----------------------------------------------------------------------------------------
def test_function_level_and_type_checking_imports_are_read() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from naba.engine.naba import Naba\n"
        "def later() -> None:\n"
        "    import naba.web.app\n"
        "    from naba.cli import common\n"
        "    from . import inputs\n"
    )
    modules = {"naba.sources.poll", "naba.cli.common", "naba.sources.inputs"}
    edges = imports_in(source, "naba.sources.poll", is_package=False, modules=modules, where="poll.py")
    assert [e.target for e in edges] == [
        "naba.engine.naba",
        "naba.web.app",
        "naba.cli.common",
        "naba.sources.inputs",
    ]
    assert [e.where for e in edges] == ["poll.py:3", "poll.py:5", "poll.py:6", "poll.py:7"]


def test_a_synthetic_cycle_and_back_edge_are_caught() -> None:
    edges = [
        Edge("naba.engine.naba", "naba.sources.files", "a.py:1"),
        Edge("naba.sources.poll", "naba.engine.naba", "b.py:1"),  # a stage importing the engine
        Edge("naba.web.app", "naba.web.pages", "c.py:1"),
        Edge("naba.web.pages", "naba.web.app", "d.py:1"),  # a module circle inside one package
    ]
    assert cycles(package_edges(edges)) == [["naba.engine", "naba.sources"]]
    assert cycles(edges) == [["naba.web.app", "naba.web.pages"]]
    assert [str(e) for e in layer_violations(edges)] == ["naba.sources -> naba.engine (b.py:1)"]
    assert layer_violations([Edge("naba.engine.watch", "naba.cli.common", "e.py:1")]) != []
    assert layer_violations([Edge("naba.web.app", "naba.cli", "f.py:1")]) != []
    assert layer_violations([Edge("naba.cli.reader", "naba.web.app", "g.py:1")]) == []


def test_one_back_edge_added_to_the_real_graph_fails_the_checks(graph: list[Edge]) -> None:
    back = Edge("naba.store.sqlite", "naba.engine.naba", "added.py:1")  # the engine imports the store
    assert cycles(package_edges([*graph, back])) != []
    assert cycles([*graph, back]) != []
    assert [str(e) for e in layer_violations([*graph, back])] == ["naba.store -> naba.engine (added.py:1)"]

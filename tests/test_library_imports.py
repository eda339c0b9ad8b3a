"""The library's shape: no module of `chiso` imports Prefect, and no two modules import each other.

Prefect is the orchestrator of `flows/`; a notebook, a script or a worker that
imports the library must not pay for it (its import costs seconds) nor depend
on it. An import cycle is where a newcomer cannot tell which module comes
first, and where a moved function breaks an import at run time only.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import chiso

PACKAGE = Path(chiso.__file__).resolve().parent


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(("chiso", *path.relative_to(PACKAGE).with_suffix("").parts))
        found[name.removesuffix(".__init__")] = path
    return found


def test_importing_every_module_imports_no_prefect() -> None:
    modules = sorted(_modules())
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'prefect' or m.startswith(('prefect.', 'prefect_', 'flows'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", f"chiso imports the orchestrator: {done.stdout.strip()}"
    assert len(modules) > 90  # every module was imported, not an empty list


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Modules of chiso that `name` imports, at the top or inside a function, with their packages."""
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            candidates = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        for candidate in candidates:
            parts = candidate.split(".")
            for depth in range(2, len(parts) + 1):  # importing a.b.c runs a.b's __init__ too
                target = ".".join(parts[:depth])
                if target in modules and target != name and not name.startswith(target + "."):
                    targets.add(target)
    return targets


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle() -> None:
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert graph["chiso.read.pdf.reader"], "the import graph is read"
    assert _cycles(graph) == []


def test_a_cycle_is_found() -> None:
    """The checker itself: two modules importing each other are one cycle."""
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]

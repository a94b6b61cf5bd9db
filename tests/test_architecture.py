"""The package reads as the pipeline: stage subpackages, no stage importing a later one, no import cycles.

Every import statement of every module is read from the source (function-level and TYPE_CHECKING imports
included: a lazy import from a later stage is still a dependency on it).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "briefgen"

# Stage order, earliest first: a module may import its own stage and earlier ones. The base modules are
# shared by every stage and import nothing of them. The desk (the translators' web page) sits on the composed
# stages, under the CLI that starts it.
STAGES = ["base", "record", "terms", "memory", "translate", "qa", "render", "compose", "desk", "cli", "entry"]
TOP_LEVEL = {"config": "base", "errors": "base", "files": "base", "textsafety": "base", "figures": "base",
             "pipeline": "compose", "verify": "compose", "doctor": "compose",
             "__init__": "entry", "__main__": "entry"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _stage(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "entry"                       # the package itself: briefgen/__init__.py
    if len(parts) == 2 and parts[1] in TOP_LEVEL:
        return TOP_LEVEL[parts[1]]
    return parts[1]


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The briefgen modules ``module`` imports (``from . import x`` names submodule x when it exists)."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("briefgen"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("briefgen"):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
    # `from .. import __version__` reads an attribute of the package, which is always imported first
    found.discard("briefgen")
    found.discard(module)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {m: _imports(m, p, known) & known for m, p in modules.items()}


def test_at_most_ten_modules_directly_under_the_package() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 10, top
    assert {p.removesuffix(".py") for p in top} <= set(TOP_LEVEL), "a new top-level module needs a stage"


def test_every_subpackage_is_a_stage() -> None:
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert packages == {"record", "terms", "memory", "translate", "qa", "render", "desk", "cli"}


def test_no_module_imports_from_a_later_stage() -> None:
    wrong = []
    for module, deps in _graph().items():
        rank = STAGES.index(_stage(module))
        for dep in deps:
            if STAGES.index(_stage(dep)) > rank:
                wrong.append(f"{module} ({_stage(module)}) imports {dep} ({_stage(dep)})")
    assert not wrong, "\n".join(sorted(wrong))


def test_there_are_no_import_cycles() -> None:
    graph = _graph()
    state: dict[str, int] = {}     # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append([*path[path.index(dep):], dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "\n".join(" → ".join(c) for c in cycles)


def test_the_checks_see_lazy_imports() -> None:
    """The graph is not vacuous: a function-level import (the CLI's) and a relative one are both found."""
    graph = _graph()
    assert "briefgen.pipeline" in graph["briefgen.cli.main"]          # imported inside _cmd_build
    assert "briefgen.terms.match" in graph["briefgen.qa.checks"]

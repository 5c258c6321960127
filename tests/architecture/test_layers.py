"""Imports flow one way: the layers of docs/design.md, checked on the source.

Every module of the package belongs to one component of :data:`LAYERS` (top to bottom).
A component may import itself and any component of a lower layer, never one of its
own layer or above. Every import counts: at module level, inside a function, and
under ``if TYPE_CHECKING:`` (a type is a dependency too). Neither ``asl/`` nor
``engine/`` (nor a leaf) imports botocore or boto3. And the modules' import graph
has no cycle, counting imports inside functions, so no such import can be there to
dodge one (imports under ``TYPE_CHECKING`` never run, so they may point back).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

PACKAGE = Path(__file__).resolve().parents[2] / "fakesfn"

LAYERS: tuple[tuple[str, ...], ...] = (
    # The front doors and tools, top to bottom among themselves.
    ("fakesfn", "fakesfn.__main__"),
    ("fakesfn.cli",),
    ("fakesfn.pytest_plugin", "fakesfn.server", "fakesfn.notebook", "fakesfn.replay", "fakesfn.cli_template"),
    ("fakesfn.patching",),
    ("fakesfn.client",),
    ("fakesfn.graph", "fakesfn.coverage"),
    ("fakesfn.render", "fakesfn.tools"),
    # The fake itself.
    ("fakesfn.backend",),
    ("fakesfn.iac",),  # issue 20: infrastructure-as-code templates the backend deploys
    ("fakesfn.service",),
    ("fakesfn.integrations",),
    ("fakesfn.engine",),
    ("fakesfn.asl",),
    # Leaves: small helpers every layer may use; they import no other part of fakesfn.
    (
        "fakesfn.clock",
        "fakesfn.random",
        "fakesfn.payload",
        "fakesfn.wire",
        "fakesfn.arns",
        "fakesfn._types",
        "fakesfn._version",
    ),
)
"""Components, top layer first; components of one layer are independent of each other."""

NO_AWS_SDK: tuple[str, ...] = ("fakesfn.asl", "fakesfn.engine", *LAYERS[-1])
"""Components that never import botocore or boto3: the language, the interpreter, the leaves."""

_RANK = {component: rank for rank, layer in enumerate(LAYERS) for component in layer}


@dataclass(frozen=True)
class Import:
    """One import statement's target, as seen from ``source``."""

    source: str
    target: str
    line: int
    kind: str
    """``module`` (runs on import), ``function`` (runs when called) or ``type`` (TYPE_CHECKING)."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def component(module: str) -> str | None:
    """The component of ``module``: the longest name in :data:`LAYERS` that contains it."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        name = ".".join(parts[:end])
        if name in _RANK:
            return name
    return None


def _resolve(source: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        package = source.split(".")
        if not str(MODULES[source]).endswith("__init__.py"):
            package = package[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, base] if base else package)
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        yield submodule if submodule in MODULES else base


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(source: str, text: str) -> Iterator[Import]:
    tree = ast.parse(text)

    def walk(node: ast.AST, kind: str) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for target in _resolve(source, child):
                    yield Import(source, target, child.lineno, kind)
            elif isinstance(child, ast.If) and _is_type_checking(child):
                for inner in child.body:
                    yield from walk(ast.Module(body=[inner], type_ignores=[]), "type")
                for inner in child.orelse:
                    yield from walk(ast.Module(body=[inner], type_ignores=[]), kind)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                yield from walk(child, "type" if kind == "type" else "function")
            else:
                yield from walk(child, kind)

    yield from walk(tree, "module")


IMPORTS: list[Import] = sorted(
    {
        found
        for module, path in MODULES.items()
        for found in _imports(module, path.read_text(encoding="utf-8"))
    },
    key=lambda found: (found.source, found.line, found.target),
)


def _location(found: Import) -> str:
    return f"{MODULES[found.source].relative_to(PACKAGE.parent)}:{found.line}"


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(module for module in MODULES if component(module) is None)
    assert not unplaced, (
        f"{unplaced} belong to no layer: add each (or its package) to LAYERS in {__file__}, "
        "below everything it imports and above everything that imports it"
    )


def test_imports_flow_downwards() -> None:
    upward = []
    for found in IMPORTS:
        if not found.target.startswith("fakesfn"):
            continue
        source, target = component(found.source), component(found.target)
        if source is None or target is None or source == target:
            continue
        if _RANK[target] <= _RANK[source]:
            upward.append(f"{_location(found)}: {found.source} imports {found.target} ({found.kind})")
    assert not upward, "imports that do not flow downwards:\n" + "\n".join(upward)


def test_language_and_engine_never_import_the_aws_sdk() -> None:
    found_sdk = [
        f"{_location(found)}: {found.source} imports {found.target}"
        for found in IMPORTS
        if found.target.split(".")[0] in ("botocore", "boto3") and component(found.source) in NO_AWS_SDK
    ]
    assert not found_sdk, "\n".join(found_sdk)


def _runtime_edges() -> dict[str, set[str]]:
    """Module -> the modules importing it runs (its imports and their parent packages).

    The root package ``fakesfn`` is left out: it is the public facade, imported before
    any module of the package, and imports nothing that imports it back at run time.
    """
    edges: dict[str, set[str]] = {module: set() for module in MODULES}
    for found in IMPORTS:
        if found.kind == "type" or found.target not in MODULES or found.target == found.source:
            continue
        parts = found.target.split(".")
        for end in range(2, len(parts) + 1):
            name = ".".join(parts[:end])
            if name in MODULES and not found.source.startswith(name + ".") and name != found.source:
                edges[found.source].add(name)
    return edges


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, if there is any (depth-first search, deterministic order)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        stack.append(module)
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found is not None:
                    return found
        stack.pop()
        state[module] = 2
        return None

    for module in sorted(edges):
        if module not in state:
            found = visit(module)
            if found is not None:
                return found
    return None


def test_no_import_cycles() -> None:
    cycle = _cycle(_runtime_edges())
    assert cycle is None, "import cycle (imports inside functions count): " + " -> ".join(cycle)


def test_the_checker_tells_the_kinds_of_import_apart() -> None:
    text = """
from typing import TYPE_CHECKING
import fakesfn.clock
from fakesfn import payload
if TYPE_CHECKING:
    from fakesfn.engine.runtime import Runtime
class Thing:
    from fakesfn.wire import CONTENT_TYPE
    def method(self):
        import fakesfn.arns
"""
    found = {(item.target, item.kind) for item in _imports("fakesfn.engine.history", text)}
    assert found == {
        ("typing", "module"),
        ("fakesfn.clock", "module"),
        ("fakesfn.payload", "module"),
        ("fakesfn.engine.runtime", "type"),
        ("fakesfn.wire", "module"),
        ("fakesfn.arns", "function"),
    }

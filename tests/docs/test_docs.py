"""The documentation: it builds with warnings as errors, support.md is current, every example runs.

Code-block convention (README.md and every page under docs/):

- a fenced ``python`` block is run, in a fresh namespace, in a temporary working directory;
- ``<!-- docs: continue -->`` on the line before the fence runs the block in the namespace the
  page's previous block left behind (a recipe told in several steps);
- ``<!-- docs: pytest -->`` runs the block as a pytest test file (the fakesfn plugin's fixtures
  available) and requires every test in it to pass;
- ``<!-- docs: not-run -->`` shows a block without running it (it needs a network, a server,
  or a file the reader has and we do not);
- ``json`` blocks must parse.

HTML comments are invisible in the rendered pages, so the markers cost readers nothing.
"""

from __future__ import annotations

import importlib.util
import json
import linecache
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]

# Pages other people write, with their own conventions and checks: their python blocks are not
# run here (limits.md is generated and checked by tests/trust/test_limits.py). Remove a page from
# this set once its blocks follow the markers below.
NOT_RUN_HERE = {DOCS / "limits.md"}

_FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[\w+-]*)[^\n]*$")
_MARKER = re.compile(r"^\s*<!--\s*docs:\s*(?P<mode>[\w-]+)(?:\s+(?P<arg>[^>]*?))?\s*-->\s*$")
_MODES = {"run", "continue", "pytest", "not-run", "requires"}


@dataclass(frozen=True)
class Block:
    page: Path
    line: int
    lang: str
    mode: str
    source: str
    arg: str = ""

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks_of(page: Path) -> list[Block]:
    """Every fenced block of ``page`` with its language and run mode."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent = opening.group("indent")
        end = index + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        body = [line[len(indent) :] if line.startswith(indent) else line for line in lines[index + 1 : end]]
        previous = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        marker = _MARKER.match(previous)
        mode = marker.group("mode") if marker else "run"
        arg = (marker.group("arg") or "") if marker else ""
        source = textwrap.dedent("\n".join(body))
        found.append(Block(page, index + 1, opening.group("lang"), mode, source, arg))
        index = end + 1
    return found


ALL_BLOCKS = [block for page in PAGES if page.exists() for block in blocks_of(page)]
PYTHON = [b for b in ALL_BLOCKS if b.lang == "python" and b.page not in NOT_RUN_HERE]


def test_markers_are_known():
    assert sorted({b.mode for b in ALL_BLOCKS} - _MODES) == []
    stray = [b.id for b in ALL_BLOCKS if b.lang != "python" and b.mode != "run"]
    assert stray == [], "run markers only make sense before python blocks"


def test_json_blocks_parse():
    for block in (b for b in ALL_BLOCKS if b.lang == "json"):
        try:
            json.loads(block.source)
        except ValueError as error:
            pytest.fail(f"{block.id}: not JSON: {error}")


_STEPS = [b for b in PYTHON if b.mode in ("run", "continue", "requires")]


def _chain(block: Block) -> list[Block]:
    """The block and the ``continue`` blocks before it, oldest first."""
    same_page = [b for b in _STEPS if b.page == block.page and b.line <= block.line]
    chain = [same_page.pop()]
    while chain[0].mode == "continue":
        assert same_page, f"{block.id}: 'continue' needs a python block before it"
        chain.insert(0, same_page.pop())
    return chain


def _ends_a_chain(block: Block) -> bool:
    later = [b for b in _STEPS if b.page == block.page and b.line > block.line]
    return not (later and later[0].mode == "continue")


RUNNABLE = [b for b in _STEPS if _ends_a_chain(b)]


@pytest.mark.parametrize("block", RUNNABLE, ids=lambda b: b.id)
def test_python_example_runs(block, tmp_path, monkeypatch):
    for part in _chain(block):
        if part.mode == "requires":
            pytest.importorskip(part.arg, reason=f"{part.id} needs {part.arg}")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__docs_example__"}
    for part in _chain(block):
        # Let tracebacks quote the example's lines.
        linecache.cache[part.id] = (len(part.source), None, part.source.splitlines(True), part.id)
        exec(compile(part.source, part.id, "exec"), namespace)


@pytest.mark.parametrize("block", [b for b in PYTHON if b.mode == "pytest"], ids=lambda b: b.id)
def test_pytest_example_passes(block, pytester):
    pytester.makepyfile(test_example=block.source)
    # The plugin is already imported by this session, which pytest would warn about.
    result = pytester.runpytest_inprocess(
        "-p",
        "no:cacheprovider",
        "-p",
        "no:hypothesispytest",
        "-W",
        "error",
        "-W",
        "ignore::pytest.PytestAssertRewriteWarning",
    )
    outcomes = result.parseoutcomes()
    assert result.ret == 0, result.stdout.str()
    assert outcomes.get("passed", 0) >= 1


# --- support.md ----------------------------------------------------------------------------


def _generator():
    spec = importlib.util.spec_from_file_location("gen_support", ROOT / "scripts" / "gen_support.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_support_page_is_up_to_date():
    expected = _generator().render()
    current = (DOCS / "support.md").read_text(encoding="utf-8")
    assert current == expected, "docs/support.md is stale: run `python scripts/gen_support.py`"


# --- the build -----------------------------------------------------------------------------


def test_mkdocs_build_is_strict_clean(tmp_path):
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "reference" / "index.html").exists()

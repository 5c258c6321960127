"""Every fenced block of README.md and docs/**/*.md, with how the tests run it.

The convention (also in docs/contributing.md, for people writing pages):

- ``python`` blocks run, in a fresh namespace, in a scratch directory;
- ``sh`` / ``bash`` / ``shell`` blocks run with bash (``set -euo pipefail``) in a scratch
  directory holding a copy of the repository's ``examples/``, with this environment's
  ``fakesfn``, ``python`` and ``aws`` on PATH and no AWS configuration (no region, no
  credentials, no profile): a snippet must say everything it needs;
- ``console`` blocks are shell sessions: each ``$ `` line is a command, and the lines after it
  are the output it must print (when the block shows any);
- ``json`` blocks must parse; ``text`` (and blocks with no language) are shown output, not code;
- an HTML comment on the line before the fence changes that, invisible in the rendered page:

  ``<!-- docs: continue -->``  run after the page's previous code block, in the same scratch
  directory (and, for python, the same namespace): a recipe told in several steps;
  ``<!-- docs: pytest -->``  a python block run as a pytest file; every test in it must pass;
  ``<!-- docs: requires MODULE -->``  skip where MODULE cannot be imported;
  ``<!-- docs: with-server -->``  a shell block run against a fresh ``fakesfn serve`` on a free
  port (the snippet's ``127.0.0.1:8083`` / ``localhost:8083`` point there);
  ``<!-- docs: not-run REASON -->``  shown, never run; the reason is required (a command that
  installs packages, runs until Ctrl-C, or needs a real AWS account).

Pages are found by globbing, so a new page is checked as soon as it exists.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]

PYTHON = frozenset({"python", "py"})
SHELL = frozenset({"sh", "bash", "shell", "console"})
SHOWN = frozenset({"", "text", "json", "mermaid", "dot", "jsonl", "yaml", "toml", "ini", "html", "markdown"})
LANGUAGES = PYTHON | SHELL | SHOWN

MODES = frozenset({"run", "continue", "pytest", "requires", "with-server", "not-run"})
NEEDS_ARGUMENT = frozenset({"requires", "not-run"})

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,})(?P<lang>[\w+-]*)[^\n]*$")
_MARKER = re.compile(r"^\s*<!--\s*docs:\s*(?P<mode>[\w-]+)(?:\s+(?P<arg>.*?))?\s*-->\s*$")


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

    @property
    def runnable(self) -> bool:
        """Code this suite runs (python or shell), whatever its mode."""
        return self.lang in PYTHON or self.lang in SHELL


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
        while end < len(lines) and lines[end].strip() != opening.group("ticks"):
            end += 1
        body = [line[len(indent) :] if line.startswith(indent) else line for line in lines[index + 1 : end]]
        previous = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        marker = _MARKER.match(previous)
        mode = marker.group("mode") if marker else "run"
        arg = (marker.group("arg") or "").strip() if marker else ""
        source = textwrap.dedent("\n".join(body))
        found.append(Block(page, index + 1, opening.group("lang"), mode, source, arg))
        index = end + 1
    return found


ALL_BLOCKS = [block for page in PAGES if page.exists() for block in blocks_of(page)]
CODE = [b for b in ALL_BLOCKS if b.runnable]


def chain(block: Block) -> list[Block]:
    """The block and the blocks its ``continue`` markers reach back to, oldest first."""
    earlier = [b for b in CODE if b.page == block.page and b.line <= block.line and b.mode != "not-run"]
    parts = [earlier.pop()]
    while parts[0].mode == "continue":
        assert earlier, f"{block.id}: 'continue' needs a code block before it"
        parts.insert(0, earlier.pop())
    return parts


def ends_a_chain(block: Block) -> bool:
    later = [b for b in CODE if b.page == block.page and b.line > block.line and b.mode != "not-run"]
    return not (later and later[0].mode == "continue")


def console_steps(source: str) -> list[tuple[str, list[str]]]:
    """``(command, expected output lines)`` of a console session."""
    steps: list[tuple[str, list[str]]] = []
    continued = False
    for line in source.splitlines():
        if continued:  # the command's previous line ended with a backslash
            command, output = steps[-1]
            steps[-1] = (f"{command}\n{line}", output)
            continued = line.endswith("\\")
        elif line.startswith("$ "):
            steps.append((line[2:], []))
            continued = line.endswith("\\")
        elif steps:
            steps[-1][1].append(line.rstrip())
        elif line.strip():
            raise ValueError(f"console output before any '$ ' command: {line!r}")
    for _, expected in steps:
        while expected and not expected[-1]:
            expected.pop()
    return steps

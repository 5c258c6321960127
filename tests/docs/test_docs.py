"""The documentation: it builds with warnings as errors, support.md is current, every example runs.

How each fenced block is run, and the markers that change it, are described in
``tests/docs/snippets.py`` (and, for people writing pages, in docs/contributing.md). Every
page of README.md and docs/ is picked up by globbing, so a new page is checked as it lands.
"""

from __future__ import annotations

import html
import importlib.util
import json
import linecache
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.botocore_model import skip_if_test_state_2025_unknown
from tests.docs.snippets import (
    ALL_BLOCKS,
    CODE,
    DOCS,
    LANGUAGES,
    MODES,
    NEEDS_ARGUMENT,
    PYTHON,
    ROOT,
    SHELL,
    Block,
    chain,
    console_steps,
    ends_a_chain,
)

_SHELL_TIMEOUT = 120


# --- the markers ---------------------------------------------------------------------------


def test_every_block_has_a_known_language_and_marker():
    unknown = [f"{b.id}: {b.lang!r}" for b in ALL_BLOCKS if b.lang not in LANGUAGES]
    assert unknown == [], "a fenced block in an unknown language: add it to snippets.LANGUAGES"
    assert sorted({b.mode for b in ALL_BLOCKS} - MODES) == []
    stray = [b.id for b in ALL_BLOCKS if not b.runnable and b.mode != "run"]
    assert stray == [], "run markers only make sense before python or shell blocks"


def test_markers_that_need_a_reason_or_module_have_one():
    missing = [b.id for b in ALL_BLOCKS if b.mode in NEEDS_ARGUMENT and not b.arg]
    assert missing == [], "'not-run' needs a reason and 'requires' a module name"


def test_json_blocks_parse():
    for block in (b for b in ALL_BLOCKS if b.lang == "json"):
        try:
            json.loads(block.source)
        except ValueError as error:
            pytest.fail(f"{block.id}: not JSON: {error}")


# --- running them --------------------------------------------------------------------------

RUNNABLE = [b for b in CODE if b.mode not in ("not-run", "pytest") and ends_a_chain(b)]


def _scratch(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    return tmp_path


def _shell_env() -> dict[str, str]:
    """This environment's tools on PATH, and no AWS configuration: snippets say what they need."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["AWS_CONFIG_FILE"] = os.devnull
    env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    return env


def _with_server_port(source: str, url: str) -> str:
    address = url.removeprefix("http://")
    return source.replace("127.0.0.1:8083", address).replace("localhost:8083", address)


def _run_shell(part: Block, cwd: Path, server_url: str | None) -> None:
    """Run a shell block; a console block's commands must print the output it shows.

    In a console block a command may exit non-zero (``fakesfn validate`` of a broken file
    does) only when the block shows what it prints; a shell block stops at its first failure.
    """
    source = _with_server_port(part.source, server_url) if server_url else part.source
    console = part.lang == "console"
    steps = console_steps(source) if console else [(source, [])]
    script = [] if console else ["set -euo pipefail"]
    for number, (command, _) in enumerate(steps):
        # (Each marker on a line of its own, even after output with no final newline.)
        script += [f"echo; echo '@@docs-step-{number}@@'", command]
        if console:
            script.append(f'status=$?; echo; echo "@@docs-exit-{number}-$status@@"')
    result = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=cwd,
        env=_shell_env(),
        capture_output=True,
        text=True,
        timeout=_SHELL_TIMEOUT,
        check=False,
    )
    failure = f"{part.id} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    assert result.returncode == 0, failure
    outputs = result.stdout.split("\n")
    for number, (command, expected) in enumerate(steps):
        begin = outputs.index(f"@@docs-step-{number}@@") + 1
        end = next(
            (i for i, line in enumerate(outputs) if i >= begin and line.startswith("@@docs-")), len(outputs)
        )
        shown = [line.rstrip() for line in outputs[begin:end]]
        while shown and not shown[-1]:
            shown.pop()
        if console:
            status = outputs[end].removeprefix(f"@@docs-exit-{number}-").removesuffix("@@")
            assert status == "0" or expected, f"{part.id}: `{command}` exited {status}:\n{result.stderr}"
        if expected:
            assert shown == expected, f"{part.id}: `{command}` printed:\n" + "\n".join(shown)


def _run_python(part: Block, namespace: dict[str, object]) -> None:
    # Let tracebacks quote the example's lines.
    linecache.cache[part.id] = (len(part.source), None, part.source.splitlines(True), part.id)
    exec(compile(part.source, part.id, "exec"), namespace)


def _example_id(block: Block) -> str:
    """The block's place; ``-k requires`` selects the blocks that need an optional module."""
    needs = [part.arg for part in chain(block) if part.mode == "requires"]
    return block.id + "".join(f"-requires-{module}" for module in needs)


@pytest.mark.parametrize("block", RUNNABLE, ids=_example_id)
def test_example_runs(block, tmp_path, monkeypatch):
    parts = chain(block)
    for part in parts:
        if part.mode == "requires":
            pytest.importorskip(part.arg, reason=f"{part.id} needs {part.arg}")
        skip_if_test_state_2025_unknown(part.source)
    cwd = _scratch(tmp_path)
    monkeypatch.chdir(cwd)
    namespace: dict[str, object] = {"__name__": "__docs_example__"}
    server = None
    if any(part.mode == "with-server" for part in parts):
        from fakesfn.server import start_server

        server = start_server()
    try:
        for part in parts:
            if part.lang in PYTHON:
                _run_python(part, namespace)
            else:
                assert part.lang in SHELL
                _run_shell(
                    part, cwd, server.url if server is not None and part.mode == "with-server" else None
                )
    finally:
        if server is not None:
            server.stop()


@pytest.mark.parametrize("block", [b for b in CODE if b.mode == "pytest"], ids=lambda b: b.id)
def test_pytest_example_passes(block, pytester):
    assert block.lang in PYTHON
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
    site = tmp_path / "site"
    reference = (site / "reference" / "index.html").read_text(encoding="utf-8")
    # Docstrings' Sphinx roles are rendered as code, and the client's type is named.
    assert re.findall(r":(?:func|class|meth|mod|data|attr|exc):", reference) == []
    # Measured on the text without markup: whether a renderer highlights signatures (and so
    # splits "-> Any" across tags) depends on the mkdocstrings-python version.
    signatures = html.unescape(re.sub(r"<[^>]+>", "", reference))
    returning_any = set(re.findall(r"(\w+)\([^()]*\)\s*->\s*Any\b", signatures))
    # Only what answers with any JSON value may say Any: a stack's Ref and Fn::GetAtt answers.
    assert returning_any <= {"ref", "attribute"}
    # Code is coloured at build time, with shipped styles: nothing is loaded from a network.
    clock = (site / "clock" / "index.html").read_text(encoding="utf-8")
    assert '<span class="kn">import</span>' in clock
    assert (site / "css" / "pygments.css").exists()
    loads = re.compile(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//[^"]+"')
    for page in site.rglob("*.html"):
        remote = loads.findall(page.read_text("utf-8"))
        assert remote == [], f"{page.relative_to(site)} loads {remote}"

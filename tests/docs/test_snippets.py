"""The block reader behind tests/docs: fences, markers, console sessions."""

from __future__ import annotations

import pytest

from tests.docs.snippets import blocks_of, console_steps


def test_fences_markers_and_nested_fences(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "Intro\n\n"
        "<!-- docs: not-run serves until stopped -->\n"
        "```sh\nfakesfn serve\n```\n\n"
        "````markdown\n```python\nnot a block of its own\n```\n````\n\n"
        "<!-- docs: requires aiobotocore -->\n"
        "```python\nimport aiobotocore\n```\n"
        "```console\n$ echo hi\nhi\n```\n",
        encoding="utf-8",
    )
    blocks = blocks_of(page)
    assert [(b.lang, b.mode, b.arg) for b in blocks] == [
        ("sh", "not-run", "serves until stopped"),
        ("markdown", "run", ""),
        ("python", "requires", "aiobotocore"),
        ("console", "run", ""),
    ]
    assert blocks[1].source == "```python\nnot a block of its own\n```"


def test_console_steps_pair_commands_with_their_output():
    assert console_steps("$ export A=1\n$ echo $A\n1\n\n$ true\n") == [
        ("export A=1", []),
        ("echo $A", ["1"]),
        ("true", []),
    ]


def test_console_output_before_any_command_is_refused():
    with pytest.raises(ValueError, match="before any"):
        console_steps("stray\n$ true\n")


def test_console_commands_continue_after_a_backslash():
    assert console_steps("$ aws stepfunctions list \\\n    --region us-east-1\nout\n") == [
        ("aws stepfunctions list \\\n    --region us-east-1", ["out"]),
    ]

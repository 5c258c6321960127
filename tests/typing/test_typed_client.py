"""With boto3-stubs installed, fake clients type as ``SFNClient``: mypy catches a misspelt call."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("mypy_boto3_stepfunctions", reason="boto3-stubs[stepfunctions] is not installed")
mypy_api = pytest.importorskip("mypy.api", reason="mypy is not installed")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = Path(__file__).with_name("typed_example.py")


def _typo_line() -> int:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.endswith("# TYPO"))


def test_mypy_catches_a_misspelt_method_and_nothing_else(tmp_path):
    # fakesfn is checked as an installed package would be: followed, its own errors silent.
    config = tmp_path / "mypy.ini"
    config.write_text(
        f"[mypy]\nstrict = True\nmypy_path = {ROOT}\ncache_dir = {tmp_path / 'cache'}\n"
        "[mypy-fakesfn.*]\nfollow_imports = silent\n",
        encoding="utf-8",
    )
    stdout, stderr, status = mypy_api.run(["--config-file", str(config), str(EXAMPLE)])
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    assert status == 1, stdout + stderr
    assert len(errors) == 1, stdout
    assert f"typed_example.py:{_typo_line()}: error:" in errors[0]
    assert '"FakeClient" has no attribute "start_exection"' in errors[0]


def test_the_typed_example_runs(pytester):
    pytester.makepyfile(test_typed=EXAMPLE.read_text(encoding="utf-8"))
    pytester.runpytest_inprocess("-p", "no:randomly").assert_outcomes(passed=2)

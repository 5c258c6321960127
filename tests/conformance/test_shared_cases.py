"""The recorded AWS cases in ../shared/conformance, run by their own runner.

Every case the runner can drive must pass, except those listed (with a reason) in
known_failures.txt; a listed case that starts passing fails this test too, so the
list only ever shrinks. Skipped cleanly where ../shared is absent (a user's checkout).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "conformance"
KNOWN = Path(__file__).with_name("known_failures.txt")

pytestmark = pytest.mark.skipif(
    not (SHARED / "run.py").exists(), reason="../shared/conformance is not present"
)


def known_failures() -> set[str]:
    lines = (line.split("#", 1)[0].strip() for line in KNOWN.read_text(encoding="utf-8").splitlines())
    return {line for line in lines if line}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    report = tmp_path_factory.mktemp("conformance") / "results.json"
    subprocess.run(
        [
            sys.executable,
            str(SHARED / "run.py"),
            str(SHARED / "cases"),
            "--target",
            "fakesfn",
            "--json",
            str(report),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
        timeout=300,
    )
    return json.loads(report.read_text(encoding="utf-8"))


def test_every_runnable_case_passes_except_the_known_failures(results):
    ran = [r for r in results if r["skipped"] is None]
    failing = {r["id"] for r in ran if any(v == "fail" for v in r["aspects"].values())}
    known = known_failures()
    assert sorted(failing - known) == [], "newly failing conformance cases"
    assert sorted(known & {r["id"] for r in ran} - failing) == [], (
        "listed as failing but passing now: unlist them"
    )
    assert len(ran) - len(failing) >= 400

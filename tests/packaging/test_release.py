"""The package as published: licence, version policy, changelog and sdist contents agree.

``nox -s build`` builds the sdist and wheel, runs ``twine check`` and the README quick start
from the unpacked sdist; these checks keep the files that build reads honest on every test run.
"""

from __future__ import annotations

import re
from pathlib import Path

import fakesfn

ROOT = Path(__file__).resolve().parents[2]


def read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_the_licence_file_is_the_apache_2_licence_the_metadata_declares():
    pyproject = read("pyproject.toml")
    assert re.search(r'^license = "Apache-2.0"$', pyproject, re.M)
    assert re.search(r'^license-files = \["LICENSE"\]$', pyproject, re.M)
    licence = read("LICENSE")
    assert licence.lstrip().startswith("Apache License\n                           Version 2.0, January 2004")
    assert "END OF TERMS AND CONDITIONS" in licence


def test_the_build_backend_understands_pep_639_licence_metadata():
    requires = re.search(r"^requires = \[(.*)\]$", read("pyproject.toml"), re.M)
    assert requires is not None
    floor = re.search(r'"setuptools>=(\d+)', requires.group(1))
    assert floor is not None
    assert int(floor.group(1)) >= 77  # PEP 639 support landed in setuptools 77


def test_the_version_is_stated_with_its_policy_and_has_a_changelog_entry():
    version = fakesfn.__version__
    assert f"fakesfn is at version {version}" in read("README.md")
    assert "## Versions" in read("README.md")
    assert re.search(rf"^## {re.escape(version)} - \d{{4}}-\d{{2}}-\d{{2}}$", read("CHANGELOG.md"), re.M)


def test_the_sdist_carries_what_the_readme_needs():
    manifest = read("MANIFEST.in")
    for directory in ("tests", "docs", "examples", "scripts", "benchmarks"):
        assert f"graft {directory}" in manifest.splitlines()
    quick_start = read("README.md").split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    for path in re.findall(r"(examples/[\w./-]+)", quick_start):
        assert (ROOT / path).is_file(), path

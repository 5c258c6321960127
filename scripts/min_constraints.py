"""Pin every declared dependency to its declared minimum, as a pip constraints file.

    python scripts/min_constraints.py [--extra test] [--python 3.10] > constraints.txt
    pip install -c constraints.txt -e '.[test]'

The floors in ``pyproject.toml`` are a promise: fakesfn works with those versions.
``nox -s oldest`` keeps the promise honest by installing exactly the floors (each
``name>=X`` of ``[project.dependencies]`` and of the named extras becomes
``name==X``) and running the test suite against them. Only direct dependencies are
pinned: what they need in turn is left to the resolver, as pip's and uv's
"lowest-direct" resolution do. A requirement whose environment marker does not hold
for ``--python`` is left out, and one without a lower bound pins nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 (nox itself brings tomli there)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def floors(pyproject: dict[str, Any], extras: list[str], python: str, *, core: bool = True) -> dict[str, str]:
    """``{name: minimum}`` for every direct requirement with a ``>=`` bound.

    ``core=False`` leaves ``[project.dependencies]`` out: the ``async`` extra's floors
    (aiobotocore pins botocore) cannot stand beside boto3's own floor.
    """
    project = pyproject["project"]
    lines = list(project.get("dependencies", [])) if core else []
    for extra in extras:
        lines.extend(project.get("optional-dependencies", {}).get(extra, []))
    environment = {"python_version": python, "python_full_version": python + ".0", "extra": ""}
    pins: dict[str, str] = {}
    for line in lines:
        requirement = Requirement(line)
        if requirement.name.lower() == project["name"]:
            continue  # a self-reference such as fakesfn[test] in the dev extra
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        for specifier in requirement.specifier:
            if specifier.operator == ">=":
                name = requirement.name.lower()
                if name in pins and pins[name] != specifier.version:
                    raise SystemExit(f"{name}: two different floors ({pins[name]}, {specifier.version})")
                pins[name] = specifier.version
    return pins


def main(argv: list[str] | None = None) -> int:
    """Print the constraints for ``--extra`` (repeatable) on ``--python``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--extra", action="append", default=[], help="an optional-dependencies group")
    parser.add_argument("--python", default="3.10", help="the Python version markers are evaluated for")
    parser.add_argument(
        "--extras-only", action="store_true", help="pin the extras' floors only, not the core dependencies'"
    )
    args = parser.parse_args(argv)
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = floors(pyproject, args.extra, args.python, core=not args.extras_only)
    for name, version in sorted(pins.items()):
        print(f"{name}=={version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Developer sessions: nox -s tests lint typecheck docs bench fuzz conformance oldest oldest_async build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]


@nox.session
def tests(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def tests_async(session: nox.Session) -> None:
    """aiobotocore / aioboto3 support, in an environment of its own (aiobotocore pins botocore)."""
    session.install("-e", ".[test,async]")
    session.run("pytest", *_ASYNC_TESTS, *session.posargs)


# The async client tests, and the docs' examples that need aiobotocore (the others may use
# APIs newer than its botocore).
_ASYNC_TESTS = (
    "tests/client/test_async.py",
    "tests/docs/test_docs.py::test_example_runs",
    "-k",
    "test_async or requires",
)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", "fakesfn", "tests", "benchmarks", "scripts", "noxfile.py")
    session.run("ruff", "format", "--check", "fakesfn", "tests", "benchmarks", "scripts", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("-e", ".[dev]")
    session.run("mypy")


@nox.session
def docs(session: nox.Session) -> None:
    """Regenerate docs/support.md, then build the site with warnings as errors: ``nox -s docs``."""
    session.install("-e", ".[test]")
    session.run("python", "scripts/gen_support.py")
    session.run("mkdocs", "build", "--strict", "--site-dir", ".nox/docs-site", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks vs issue 9's targets and moto: ``nox -s bench -- --quick`` / ``-- --only map``."""
    session.install("-e", ".[bench]")
    session.run("python", "-m", "benchmarks", *session.posargs)


@nox.session
def fuzz(session: nox.Session) -> None:
    """The trust suite on hypothesis's long profile (20,000+ examples): ``nox -s fuzz``."""
    session.install("-e", ".[test]")
    session.env["FAKESFN_FUZZ_PROFILE"] = "long"
    session.run("pytest", "tests/trust", *session.posargs)


@nox.session
def conformance(session: nox.Session) -> None:
    session.install("-e", ".")
    session.run(
        "python",
        "../shared/conformance/run.py",
        "../shared/conformance/cases",
        "--target",
        "fakesfn",
        *session.posargs,
    )


OLDEST_PYTHON = "3.10"
"""The oldest supported Python: the declared floors must install and pass there."""


@nox.session(python=OLDEST_PYTHON)
def oldest(session: nox.Session) -> None:
    """The suite against the declared minimum of every direct dependency: ``nox -s oldest``.

    ``scripts/min_constraints.py`` turns each ``>=X`` floor of ``[project.dependencies]``
    and of the ``test`` extra into ``==X``; pip resolves the rest. Where no
    ``python3.10`` is on PATH, point nox at one: ``nox -s oldest --force-python PATH``.
    """
    _install_floors(session, "test", ["--extra", "test"])
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", *session.posargs)


@nox.session(python=OLDEST_PYTHON)
def oldest_async(session: nox.Session) -> None:
    """The async clients, the ``async`` extra at its floors: ``nox -s oldest_async``.

    Only the extra's own floors are pinned: aiobotocore pins botocore, so boto3 and
    botocore resolve to what the oldest aiobotocore accepts (above their own floor).
    """
    _install_floors(session, "test,async", ["--extra", "async", "--extras-only"])
    session.run("pytest", "-p", "no:cacheprovider", *_ASYNC_TESTS, *session.posargs)


def _install_floors(session: nox.Session, extras: str, selection: list[str]) -> None:
    """Install fakesfn with ``extras`` under the floors ``min_constraints.py selection`` pins."""
    pins = subprocess.run(
        [sys.executable, "scripts/min_constraints.py", *selection, "--python", OLDEST_PYTHON],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    constraints = Path(session.create_tmp()) / "floors.txt"
    constraints.write_text(pins, encoding="utf-8")
    session.log(f"declared floors ({' '.join(selection)}):\n" + pins)
    session.install("-c", str(constraints), "-e", f".[{extras}]")
    session.run("python", "-m", "pip", "list")


@nox.session
def build(session: nox.Session) -> None:
    """Build the sdist and wheel, check them with twine, run the README's quick start from the sdist.

    ``nox -s build``: the distributions land in ``dist/``. The quick start (the first
    ``sh`` block of the README) then runs, word for word, in a freshly unpacked sdist:
    proof that the sdist carries what it needs.
    """
    session.install("build>=1.2", "twine>=6.1")
    dist = Path("dist")
    for old in dist.glob("fakesfn-*"):
        old.unlink()
    output = session.run("python", "-m", "build", "--outdir", str(dist), silent=True) or ""
    print(output)
    if "Deprecat" in output:
        session.error("the build printed a deprecation warning (see above)")
    artefacts = sorted(str(path) for path in dist.glob("fakesfn-*"))
    session.run("python", "-m", "twine", "check", "--strict", *artefacts)
    (sdist,) = dist.glob("fakesfn-*.tar.gz")
    unpacked = Path(session.create_tmp()) / "sdist"
    session.run("python", "-c", _UNPACK, str(sdist), str(unpacked))
    (source,) = unpacked.iterdir()
    with session.chdir(source):
        session.run("bash", "-ec", readme_quick_start(Path("README.md")), external=True)


_UNPACK = (
    "import shutil, sys, tarfile; shutil.rmtree(sys.argv[2], ignore_errors=True); "
    "tarfile.open(sys.argv[1]).extractall(sys.argv[2], filter='data')"
)


def readme_quick_start(readme: Path) -> str:
    """The README's quick-start command: the first ``sh`` block after ``## Quick start``."""
    text = readme.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1]
    return section.split("```sh\n", 1)[1].split("```", 1)[0].strip()

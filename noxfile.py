"""Developer sessions: nox -s tests lint typecheck docs bench fuzz conformance."""

from __future__ import annotations

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
    # The docs' examples that need aiobotocore; the others may use APIs newer than its botocore.
    docs_examples = "tests/docs/test_docs.py::test_example_runs"
    selection = ["-k", "test_async or requires"]
    session.run("pytest", "tests/client/test_async.py", docs_examples, *selection, *session.posargs)


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

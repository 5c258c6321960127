"""Developer sessions: nox -s tests lint typecheck docs bench fuzz conformance."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]


@nox.session
def tests(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", "fakesfn", "tests", "benchmarks", "noxfile.py")
    session.run("ruff", "format", "--check", "fakesfn", "tests", "benchmarks", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("-e", ".[dev]")
    session.run("mypy")


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

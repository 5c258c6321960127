"""The report and threshold options, as ``pytest --sfn-cov-*`` and ``fakesfn run --coverage-*`` read them.

Kept apart from the pytest plugin so the command line shares them without importing pytest.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterable

    from fakesfn.coverage.report import CoverageReport

DEFAULT_HTML: Final = "sfn-htmlcov"
"""Where ``html`` writes without a ``:DIR``."""

DEFAULT_JSON: Final = "sfn-coverage.json"
"""Where ``json`` writes without a ``:FILE``."""

KINDS: Final = ("term", "term-missing", "html", "json")


@dataclass(frozen=True)
class ReportSpec:
    """One ``--sfn-cov-report`` value: its kind and, for files, where."""

    kind: str
    target: str | None = None


def parse_report(value: str) -> ReportSpec | None:
    """A report spec; ``None`` for the empty value (no report). ``argparse.ArgumentTypeError`` if bad."""
    if value == "":
        return None
    kind, colon, target = value.partition(":")
    if kind not in KINDS:
        raise argparse.ArgumentTypeError(f"invalid choice: {value!r} (choose from {', '.join(KINDS)})")
    if kind.startswith("term"):
        if colon:
            raise argparse.ArgumentTypeError(f"{kind} takes no output location: {value!r}")
        return ReportSpec(kind)
    if colon and not target:
        raise argparse.ArgumentTypeError(f"{kind}: needs a location after the colon: {value!r}")
    return ReportSpec(kind, target or (DEFAULT_HTML if kind == "html" else DEFAULT_JSON))


def parse_fail_under(value: str) -> float:
    """A percentage between 0 and 100."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a number from 0 to 100 is required, not {value!r}") from None
    if not 0 <= number <= 100:
        raise argparse.ArgumentTypeError(f"the percentage must be from 0 to 100, not {value!r}")
    return number


def write_files(report: CoverageReport, specs: Iterable[ReportSpec], base: str) -> list[str]:
    """Write the ``html`` and ``json`` reports of ``specs`` (relative to ``base``).

    Returns one line per file written, saying where.
    """
    import os

    written = []
    for spec in specs:
        if spec.target is None:
            continue
        where = os.path.join(base, spec.target)
        if spec.kind == "html":
            report.write_html(where)
            written.append(f"State-machine coverage HTML written to dir {spec.target}")
        else:
            report.write_json(where)
            written.append(f"State-machine coverage JSON written to file {spec.target}")
    return written


def terminal_text(report: CoverageReport, specs: Iterable[ReportSpec]) -> str:
    """The terminal report ``specs`` ask for (``term`` / ``term-missing``), or ``""``."""
    kinds = {spec.kind for spec in specs}
    if not kinds & {"term", "term-missing"}:
        return ""
    return report.text(missing="term-missing" in kinds)

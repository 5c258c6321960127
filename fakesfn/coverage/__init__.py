"""State-machine coverage: which states, Choice rules, Retriers and Catchers a test suite exercised.

From Python (a notebook, a script)::

    from fakesfn.coverage import Coverage

    cov = Coverage()
    cov.start()                       # every backend built from now on records
    ...                               # create machines, run executions
    cov.stop()
    report = cov.report()
    print(report.text(missing=True))  # the terminal table and what never ran
    report.write_html("sfn-coverage") # index.html + a painted graph per machine
    report.write_json("sfn-coverage.json")

``record(backend)`` records one existing backend. From pytest: ``pytest --sfn-cov``
(:mod:`fakesfn.coverage.plugin`); from the command line: ``fakesfn run --coverage``.
What counts is documented in :mod:`fakesfn.coverage.inventory` and
:mod:`fakesfn.coverage.report`. Names are imported when first used, so importing
this package (the pytest plugin does) costs next to nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fakesfn.coverage.data import CoverageData
    from fakesfn.coverage.inventory import Item
    from fakesfn.coverage.recorder import Coverage, record
    from fakesfn.coverage.report import CoverageReport, MachineCoverage, Tally

_LAZY = {
    "Coverage": "fakesfn.coverage.recorder",
    "record": "fakesfn.coverage.recorder",
    "CoverageData": "fakesfn.coverage.data",
    "CoverageReport": "fakesfn.coverage.report",
    "MachineCoverage": "fakesfn.coverage.report",
    "Tally": "fakesfn.coverage.report",
    "Item": "fakesfn.coverage.inventory",
}

__all__ = ["Coverage", "CoverageData", "CoverageReport", "Item", "MachineCoverage", "Tally", "record"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'fakesfn.coverage' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)

"""Coverage as people read it: per machine, covered / total items by kind, and what never ran.

The total percentage is *item coverage*, like branch coverage: every item of every
machine (states entered, Choice rules and Defaults taken, Catchers fired, Retriers
that retried: see :mod:`fakesfn.coverage.inventory`) weighs the same, and

    percent = 100 * covered items / all items

over all machines (or one machine's items, for its own row). Nothing to cover
counts as 100%.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from fakesfn.coverage.data import CoverageData
from fakesfn.coverage.inventory import COVERED, GROUPS, MISSED, PARTIAL, STATE, Item, items, state_id

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

JSON_FORMAT: Final = 1
"""Version of the JSON report's layout (``meta.format``); see docs/cookbook/coverage.md."""


def percent(covered: int, total: int) -> float:
    """``100 * covered / total``; 100.0 when there is nothing to cover."""
    return 100.0 if total == 0 else 100.0 * covered / total


@dataclass(frozen=True, slots=True)
class Tally:
    """Covered and total items of one kind (or of all kinds)."""

    covered: int
    total: int

    @property
    def percent(self) -> float:
        """See :func:`percent`."""
        return percent(self.covered, self.total)

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.covered + other.covered, self.total + other.total)

    def text(self) -> str:
        """``covered/total``."""
        return f"{self.covered}/{self.total}"


@dataclass(frozen=True)
class MachineCoverage:
    """One definition of one state machine: its items and how often each happened.

    Attributes:
        name: the state machine's name.
        digest: short hash of its canonical definition (a changed definition is another entry).
        definition: the definition (parsed JSON).
        items: every item, depth-first in definition order.
        hits: item id -> times it happened (absent: never).
    """

    name: str
    digest: str
    definition: Mapping[str, Any]
    items: tuple[Item, ...]
    hits: Mapping[str, int]

    @property
    def key(self) -> str:
        """``name@hash``."""
        return f"{self.name}@{self.digest}"

    def covered(self, item: Item) -> bool:
        """Whether ``item`` ever happened."""
        return self.hits.get(item.id, 0) > 0

    def tally(self, group: str | None = None) -> Tally:
        """Covered/total of a report group (``states``, ``choices``, ``catches``, ``retries``) or of all."""
        kinds = GROUPS[group] if group is not None else None
        chosen = [item for item in self.items if kinds is None or item.kind in kinds]
        return Tally(sum(1 for item in chosen if self.covered(item)), len(chosen))

    @property
    def percent(self) -> float:
        """This machine's item coverage."""
        return self.tally().percent

    @property
    def missing(self) -> tuple[Item, ...]:
        """The items that never happened, in definition order."""
        return tuple(item for item in self.items if not self.covered(item))

    def state_status(self, path: str) -> str:
        """``covered``, ``partial`` or ``missed`` (never entered).

        ``partial``: entered, but one of its Choice rules, Catchers or Retriers never ran.
        """
        if self.hits.get(state_id(path), 0) == 0:
            return MISSED
        own = [item for item in self.items if item.path == path and item.kind != STATE]
        return PARTIAL if any(not self.covered(item) for item in own) else COVERED

    def to_json(self) -> dict[str, Any]:
        """This machine's part of the JSON report."""
        return {
            "key": self.key,
            "name": self.name,
            "definition_hash": self.digest,
            "summary": _summary(self.tally, self.percent),
            "items": [
                {
                    "id": item.id,
                    "kind": item.kind,
                    "path": item.path,
                    "index": item.index,
                    "label": item.label,
                    "hits": self.hits.get(item.id, 0),
                }
                for item in self.items
            ],
            "missing": [item.id for item in self.missing],
            "definition": self.definition,
        }


def _summary(tally: Any, total: float) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for group in GROUPS:
        part = tally(group)
        summary[group] = {"covered": part.covered, "total": part.total}
    whole = tally(None)
    summary.update(covered=whole.covered, total=whole.total, percent=round(total, 2))
    return summary


@dataclass(frozen=True)
class CoverageReport:
    """Coverage of every machine recorded, sorted by name then definition hash."""

    machines: tuple[MachineCoverage, ...]

    @classmethod
    def of(cls, data: CoverageData) -> CoverageReport:
        """The report of recorded ``data``."""
        machines = [
            MachineCoverage(
                entry.name, entry.digest, entry.definition, items(entry.definition), dict(entry.hits)
            )
            for entry in data.machines.values()
        ]
        machines.sort(key=lambda machine: (machine.name, machine.digest))
        return cls(tuple(machines))

    @classmethod
    def load(cls, path: str | Path) -> CoverageReport:
        """A report read back from :meth:`write_json`'s file."""
        with open(path, encoding="utf-8") as file:
            value = json.load(file)
        data = CoverageData()
        for machine in value.get("machines", []):
            entry = data.machine(machine["name"], machine["definition"])
            entry.hits.update({item["id"]: item["hits"] for item in machine["items"] if item["hits"]})
        return cls.of(data)

    def tally(self, group: str | None = None) -> Tally:
        """Covered/total over every machine, of one group or of all items."""
        total = Tally(0, 0)
        for machine in self.machines:
            total += machine.tally(group)
        return total

    @property
    def percent(self) -> float:
        """The total item coverage (see the module docstring)."""
        return self.tally().percent

    def machine(self, name: str) -> MachineCoverage:
        """The one entry of machine ``name`` (``KeyError`` if none; ``ValueError`` if several)."""
        found = [machine for machine in self.machines if machine.name == name or machine.key == name]
        if not found:
            raise KeyError(f"no state machine {name!r} was recorded")
        if len(found) > 1:
            keys = ", ".join(machine.key for machine in found)
            raise ValueError(f"{name!r} has several definitions ({keys}): ask for one by its key")
        return found[0]

    def to_json(self) -> dict[str, Any]:
        """The JSON report (schema in docs/cookbook/coverage.md)."""
        from fakesfn._version import __version__

        return {
            "meta": {"format": JSON_FORMAT, "tool": "fakesfn", "version": __version__},
            "totals": _summary(self.tally, self.percent),
            "machines": [machine.to_json() for machine in self.machines],
        }

    def write_json(self, path: str | Path) -> None:
        """Write :meth:`to_json` to ``path``."""
        with open(path, "w", encoding="utf-8") as file:
            json.dump(self.to_json(), file, indent=2, ensure_ascii=False)
            file.write("\n")

    def text(self, *, missing: bool = False) -> str:
        """The terminal report: a table per machine; with ``missing``, what never ran."""
        from fakesfn.coverage.terminal import render

        return render(self, missing=missing)

    def write_html(self, directory: str | Path) -> Path:
        """Write the HTML report (``index.html`` and a page per machine); returns the index's path."""
        from fakesfn.coverage.html import write

        return write(self, directory)

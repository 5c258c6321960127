"""Recorded coverage: per definition, how often each item happened. Mergeable and JSON-able.

One :class:`CoverageData` gathers what any number of backends recorded (a test
session's); pytest-xdist workers each send theirs to the controller as
:meth:`CoverageData.to_dict`, which merges them with :meth:`CoverageData.merge`.
Machines are keyed ``name@hash`` (the definition's :func:`~fakesfn.coverage.inventory.digest`):
the same machine created in many tests is one entry, a changed definition another.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from fakesfn.coverage.inventory import digest

if TYPE_CHECKING:
    from collections.abc import Mapping

DATA_FORMAT: Final = 1
"""Version of the :meth:`CoverageData.to_dict` layout (xdist workers and the controller agree on it)."""


@dataclass(slots=True)
class MachineData:
    """One definition of one named state machine, and its items' hit counts.

    Attributes:
        name: the state machine's name.
        digest: the short hash of its canonical definition.
        definition: the definition (parsed JSON).
        hits: item id -> how many times it happened (absent: never).
    """

    name: str
    digest: str
    definition: dict[str, Any]
    hits: dict[str, int] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """``name@hash``: how reports and the JSON name this entry."""
        return f"{self.name}@{self.digest}"

    def hit(self, item_id: str) -> None:
        """Count one occurrence of ``item_id``."""
        hits = self.hits
        hits[item_id] = hits.get(item_id, 0) + 1


class CoverageData:
    """Everything recorded: ``key -> MachineData``. Thread-safe for recording from several backends."""

    def __init__(self) -> None:
        self.machines: dict[str, MachineData] = {}
        self._lock = threading.Lock()

    def machine(self, name: str, definition: Mapping[str, Any]) -> MachineData:
        """The entry of ``definition`` under ``name``, created on first sight."""
        key = f"{name}@{digest(definition)}"
        found = self.machines.get(key)
        if found is None:
            with self._lock:
                found = self.machines.get(key)
                if found is None:
                    found = MachineData(name, key.rpartition("@")[2], dict(definition))
                    self.machines[key] = found
        return found

    def merge(self, other: CoverageData | Mapping[str, Any]) -> None:
        """Add ``other``'s machines and hits (another :class:`CoverageData` or its :meth:`to_dict`)."""
        incoming = other if isinstance(other, CoverageData) else CoverageData.from_dict(other)
        for key, theirs in incoming.machines.items():
            with self._lock:
                mine = self.machines.get(key)
                if mine is None:
                    mine = self.machines[key] = MachineData(theirs.name, theirs.digest, theirs.definition)
            for item_id, count in theirs.hits.items():
                mine.hits[item_id] = mine.hits.get(item_id, 0) + count

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON and execnet.

        ``{"format": 1, "machines": {key: {"name", "digest", "definition", "hits"}}}``.
        """
        return {
            "format": DATA_FORMAT,
            "machines": {
                key: {
                    "name": data.name,
                    "digest": data.digest,
                    "definition": data.definition,
                    "hits": dict(data.hits),
                }
                for key, data in sorted(self.machines.items())
            },
        }

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> CoverageData:
        """The inverse of :meth:`to_dict`; ``ValueError`` for anything else."""
        if not isinstance(value, dict) or value.get("format") != DATA_FORMAT:
            raise ValueError(f"not fakesfn coverage data (format {DATA_FORMAT} expected)")
        data = cls()
        machines = value.get("machines")
        if not isinstance(machines, dict):
            raise ValueError("fakesfn coverage data without machines")
        for key, entry in machines.items():
            try:
                hits = {str(item): int(count) for item, count in entry["hits"].items()}
                data.machines[str(key)] = MachineData(
                    str(entry["name"]), str(entry["digest"]), dict(entry["definition"]), hits
                )
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise ValueError(f"malformed fakesfn coverage entry {key!r}: {error}") from None
        return data

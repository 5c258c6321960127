"""Distributed Map: child executions per item or batch, map runs, ItemReader/ResultWriter.

Not implemented yet: a DISTRIBUTED Map fails its execution with an explicit
error rather than silently running inline (see docs/fidelity).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakesfn.asl.errors import StatesError

if TYPE_CHECKING:
    from collections.abc import Generator

    from fakesfn.engine.interpreter import StateRun
    from fakesfn.engine.signals import Signal


def run_distributed_map(run: StateRun, raw_input: Any) -> Generator[Signal, Any, Any]:
    """Refuse loudly until distributed mode exists."""
    raise StatesError(
        "States.Runtime",
        f"fakesfn does not run DISTRIBUTED Map states yet (state '{run.state.name}')",
    )
    yield  # type: ignore[unreachable]  # pragma: no cover
